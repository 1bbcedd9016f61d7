import 'reflect-metadata';
import { AppConfig } from '@guichet/config/app-config';
import { InvalidConfigError, loadEnv } from '@guichet/config/env';
import { createApiApp } from './bootstrap';

async function main(): Promise<void> {
  process.env.GUICHET_PROCESS ??= 'guichet-api';
  try {
    loadEnv();
  } catch (error) {
    if (error instanceof InvalidConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const app = await createApiApp();
  const config = app.get(AppConfig);
  await app.listen(config.get('PORT'), config.get('HOST'));
}

main().catch((error: unknown) => {
  console.error('API failed to start:', error);
  process.exit(1);
});
