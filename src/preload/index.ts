/** Exposes exactly the API contract to the renderer as `window.facet`; no ipcRenderer leaks through. */
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge';

contextBridge.exposeInMainWorld('facet', createBridge(ipcRenderer));
