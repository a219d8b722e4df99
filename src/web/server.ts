// The service's entry point: `node src/web/server.ts`. Module loading is sped up first (see module-loading.ts),
// then the service itself is loaded and started (serve.ts): imported only now, so its modules load through it.
// Only when run as the entry point: the container image's build imports this file, without starting anything, to
// fill Node's compile cache with every module the start loads (this one too).
import { speedUpModuleLoading } from './module-loading.ts';

if (import.meta.main) {
  speedUpModuleLoading();
  const { startService } = await import('./serve.ts');
  await startService();
}
