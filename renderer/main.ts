import { mount } from 'svelte';
import { createLabClient } from './api/lab';
import App from './app/App.svelte';
import './app.css';

mount(App, { target: document.getElementById('app')!, props: { client: createLabClient() } });
