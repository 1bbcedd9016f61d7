import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@guichet/core/identity/principal';
import { SuggestionsService } from '@guichet/core/orientation/suggestions.service';
import { ApiProblems } from '../common/api-problems.decorator';
import { Auth, CurrentPrincipal } from '../common/auth.decorators';
import { READ_REQUESTS } from '../requests/requests-access';
import { SuggestionDto, SuggestionQueryDto } from './dto/suggestion.dto';

@ApiTags('orientation')
@Controller('orientation')
export class OrientationController {
  constructor(private readonly suggestions: SuggestionsService) {}

  /**
   * Where to send the person: services, staff and partners of the site ranked by how well they
   * match the request (`requestId`) or the words `q` in `siteId`, with their opening status now.
   */
  @Auth(READ_REQUESTS)
  @Get('suggestions')
  @ApiOkResponse({ type: [SuggestionDto] })
  @ApiProblems(400, 404)
  suggest(@CurrentPrincipal() principal: Principal, @Query() query: SuggestionQueryDto): Promise<SuggestionDto[]> {
    return this.suggestions.suggest(principal, query);
  }
}
