import { DynamicModule, Global, Injectable, Logger, Module, OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '@guichet/config/app-config';
import { dataSourceOptions } from './data-source-options';
import { runMigrationsLocked } from './schema-setup';

/** Applies pending migrations at boot when MIGRATIONS_RUN is on; the advisory lock makes it safe with several instances. */
@Injectable()
export class MigrateOnBoot implements OnModuleInit {
  private readonly logger = new Logger('Migrations');

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.config.get('MIGRATIONS_RUN')) return;
    const applied = await runMigrationsLocked(this.dataSource);
    if (applied.length > 0) this.logger.log(`Applied migrations: ${applied.join(', ')}`);
  }
}

@Global()
@Module({})
export class DatabaseModule {
  /** `migrate: false` for processes that must never change the schema (the worker, possibly of another version). */
  static forRoot(options: { migrate: boolean }): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => ({
            ...dataSourceOptions(config.get('DATABASE_URL'), config.get('DATABASE_POOL_SIZE')),
            autoLoadEntities: true,
            retryAttempts: 3,
            retryDelay: 1000,
          }),
        }),
      ],
      providers: options.migrate ? [MigrateOnBoot] : [],
    };
  }
}
