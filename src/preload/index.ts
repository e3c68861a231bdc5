/** Exposes exactly the API contract to the renderer as `window.facet`; no ipcRenderer leaks through. */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createBridge } from './bridge';

contextBridge.exposeInMainWorld(
  'facet',
  createBridge(ipcRenderer, (file) => webUtils.getPathForFile(file as File)),
);
