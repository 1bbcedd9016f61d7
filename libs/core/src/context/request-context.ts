import { Injectable } from '@nestjs/common';
import { ClsService, ClsStore } from 'nestjs-cls';
import type { Principal } from '../identity/principal';

export interface GuichetStore extends ClsStore {
  principal?: Principal;
}

/** The caller and correlation id of the current request (or job), for audit and logs. */
@Injectable()
export class RequestContext {
  constructor(private readonly cls: ClsService<GuichetStore>) {}

  get principal(): Principal | undefined {
    return this.cls.isActive() ? this.cls.get('principal') : undefined;
  }

  setPrincipal(principal: Principal): void {
    if (this.cls.isActive()) this.cls.set('principal', principal);
  }

  get requestId(): string | undefined {
    return this.cls.isActive() ? this.cls.getId() : undefined;
  }
}
