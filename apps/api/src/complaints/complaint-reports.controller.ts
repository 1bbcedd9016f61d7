import { Controller, Get, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import { ApiOkResponse, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ComplaintReport, ComplaintReportsService } from '@guichet/core/complaints/complaint-reports.service';
import { NotFoundError } from '@guichet/core/errors/domain-error';
import type { Principal } from '@guichet/core/identity/principal';
import { ApiProblems } from '../common/api-problems.decorator';
import { Auth, CurrentPrincipal } from '../common/auth.decorators';
import { READ_COMPLAINT_REPORTS } from './complaints-access';

const uuid = new ParseUUIDPipe({ version: '4' });
const REPORT_FILE = /^(\d{4}-\d{2})\.(csv|pdf|json)$/;

/** The monthly complaint report of a site ("rendre compte"), in the site's time zone. */
@ApiTags('complaints')
@Controller('sites/:siteId/complaint-reports')
export class ComplaintReportsController {
  constructor(private readonly reports: ComplaintReportsService) {}

  @Auth(READ_COMPLAINT_REPORTS)
  @Get(':file')
  @ApiParam({ name: 'file', description: '`yyyy-mm.csv`, `yyyy-mm.pdf` or `yyyy-mm.json`', example: '2026-11.csv' })
  @ApiProduces('text/csv', 'application/pdf', 'application/json')
  @ApiOkResponse({ description: 'Counts by reason and channel, SLA compliance, mean times, repeated complainants, actions taken' })
  @ApiProblems(400, 404)
  async report(
    @CurrentPrincipal() principal: Principal,
    @Param('siteId', uuid) siteId: string,
    @Param('file') file: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ComplaintReport | string | Buffer> {
    const match = REPORT_FILE.exec(file);
    if (!match) throw new NotFoundError('Complaint report', file);
    const [, month, format] = match;
    const report = await this.reports.report(principal, siteId, month);
    if (format === 'json') return report;
    reply.header('content-disposition', `attachment; filename="reclamations-${month}.${format}"`);
    if (format === 'csv') {
      reply.header('content-type', 'text/csv; charset=utf-8');
      return this.reports.csv(report);
    }
    reply.header('content-type', 'application/pdf');
    return this.reports.pdf(report);
  }
}
