import { mount } from 'svelte';
import { createLabClient } from './api/lab';
import App from './app/App.svelte';
// Hangul on every machine, offline, split by unicode range so only the slices of characters on screen load, and only
// where no Korean system font in app.css's list has them. One weight: the browser emboldens it for headings (the
// package's 700 files drew boxes for Hangul in Debian's Chromium, measured with a screenshot).
import '@fontsource/noto-sans-kr/400.css';
import './app.css';

mount(App, { target: document.getElementById('app')!, props: { client: createLabClient() } });
