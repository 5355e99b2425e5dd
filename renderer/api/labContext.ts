import { createContext } from 'svelte';
import type { Connection } from './connection.svelte';
import type { LabClient } from './lab';
import type { TrainingEvents } from './trainingEvents.svelte';

/** The lab client, set once by the app for every component below it. */
export const [getLab, setLab] = createContext<LabClient>();

/** The one store of training events, which every view reads. */
export const [getTrainingEvents, setTrainingEvents] = createContext<TrainingEvents>();

/** Whether the server is reachable; views reload what they show after a reconnect. */
export const [getConnection, setConnection] = createContext<Connection>();
