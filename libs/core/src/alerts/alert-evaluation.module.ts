import { Module } from '@nestjs/common';
import { AlertEvaluator } from './alert-evaluator.service';

/** Raising and resolving alerts, for the worker only (the API enqueues evaluations through AlertTrigger). */
@Module({
  providers: [AlertEvaluator],
  exports: [AlertEvaluator],
})
export class AlertEvaluationModule {}
