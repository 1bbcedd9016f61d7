import { ConflictError } from '../errors/domain-error';

export enum KnowledgeErrorCode {
  StaleVersion = 'stale_version',
  /** A category, owner service or request of another site than the article's. */
  OutsideSite = 'outside_site',
  CategoryExists = 'category_exists',
  CategoryNotEmpty = 'category_not_empty',
  CategoryCycle = 'category_cycle',
  /** Linked to requests: deleting it would erase what the report counts; unpublish it instead. */
  ArticleInUse = 'article_in_use',
}

export class StaleArticleError extends ConflictError {
  constructor(id: string, current: number) {
    super(`Article ${id} is now at version ${current}; reload it and apply the change again`, KnowledgeErrorCode.StaleVersion);
  }
}
