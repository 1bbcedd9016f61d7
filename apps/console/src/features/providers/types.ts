export type OrderType = 'supplies' | 'room_booking' | 'equipment' | 'catering' | 'maintenance' | 'cleaning' | 'other';
export const ORDER_TYPES: OrderType[] = ['supplies', 'room_booking', 'equipment', 'catering', 'maintenance', 'cleaning', 'other'];

export interface ProviderContact {
  id: string;
  name: string;
  role: string | null;
  email: string | null;
  phone: string | null;
  isPrimary: boolean;
}

export type ContactInput = Omit<ProviderContact, 'id'>;

export interface Provider {
  id: string;
  siteId: string;
  kind: 'internal' | 'external';
  name: string;
  description: string;
  orderTypes: OrderType[];
  email: string | null;
  phone: string | null;
  contractReference: string | null;
  contractEndsOn: string | null;
  responseHours: number;
  completionHours: number;
  active: boolean;
  contacts: ProviderContact[];
  version: number;
}

export interface RatingFigures {
  count: number;
  average: number | null;
  timeliness: number | null;
  quality: number | null;
  communication: number | null;
}

export interface PeriodFigures {
  completed: number;
  onTime: number;
  onTimeRate: number | null;
  averageDelayHours: number | null;
  ratings: RatingFigures;
}

export interface ProviderFigures extends PeriodFigures {
  providerId: string;
  orders: { total: number; open: number; completed: number; rejected: number; cancelled: number };
  months: (PeriodFigures & { month: string })[];
}

export type ImprovementStatus = 'proposed' | 'in_progress' | 'done' | 'dropped';
export const IMPROVEMENT_STATUSES: ImprovementStatus[] = ['proposed', 'in_progress', 'done', 'dropped'];

export interface ImprovementAction {
  id: string;
  providerId: string;
  title: string;
  description: string;
  status: ImprovementStatus;
  dueOn: string | null;
  createdAt: string;
  completedAt: string | null;
  version: number;
}
