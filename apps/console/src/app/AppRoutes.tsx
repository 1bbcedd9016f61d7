import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { LoginPage } from '../features/auth/LoginPage';
import { useAuth } from '../features/auth/useAuth';
import { PageLoader } from '../shared/PageLoader';
import { AppLayout } from './AppLayout';
import { homePath } from './homePath';
import { RequireAuth } from './RequireAuth';

// One chunk per screen: a kiosk or a hall display never downloads the charts of the supervisor.
const DeskPage = lazy(() => import('../features/desk/DeskPage').then((m) => ({ default: m.DeskPage })));
const SupervisorPage = lazy(() => import('../features/supervisor/SupervisorPage').then((m) => ({ default: m.SupervisorPage })));
const DevicesPage = lazy(() => import('../features/devices/DevicesPage').then((m) => ({ default: m.DevicesPage })));
const RoomsPage = lazy(() => import('../features/rooms/RoomsPage').then((m) => ({ default: m.RoomsPage })));
const ServiceOrdersPage = lazy(() => import('../features/service-orders/ServiceOrdersPage').then((m) => ({ default: m.ServiceOrdersPage })));
const ProvidersPage = lazy(() => import('../features/providers/ProvidersPage').then((m) => ({ default: m.ProvidersPage })));
const KioskPage = lazy(() => import('../features/kiosk/KioskPage').then((m) => ({ default: m.KioskPage })));
const DisplayPage = lazy(() => import('../features/display/DisplayPage').then((m) => ({ default: m.DisplayPage })));
const HandoverPage = lazy(() => import('../features/handover/HandoverPage').then((m) => ({ default: m.HandoverPage })));
const TasksPage = lazy(() => import('../features/tasks/TasksPage').then((m) => ({ default: m.TasksPage })));
const AgendaPage = lazy(() => import('../features/agenda/AgendaPage').then((m) => ({ default: m.AgendaPage })));
const IncidentsPage = lazy(() => import('../features/incidents/IncidentsPage').then((m) => ({ default: m.IncidentsPage })));
const MessagesPage = lazy(() => import('../features/messages/MessagesPage').then((m) => ({ default: m.MessagesPage })));
const ComplaintsPage = lazy(() => import('../features/complaints/ComplaintsPage').then((m) => ({ default: m.ComplaintsPage })));
const SatisfactionPage = lazy(() => import('../features/surveys/SatisfactionPage').then((m) => ({ default: m.SatisfactionPage })));
const SurveyTemplatesPage = lazy(() => import('../features/surveys/SurveyTemplatesPage').then((m) => ({ default: m.SurveyTemplatesPage })));
const PublicSurveyPage = lazy(() => import('../features/public-survey/PublicSurveyPage').then((m) => ({ default: m.PublicSurveyPage })));
const KioskRatingPage = lazy(() => import('../features/kiosk-rating/KioskRatingPage').then((m) => ({ default: m.KioskRatingPage })));
const PublicTicketPage = lazy(() => import('../features/public-ticket/PublicTicketPage').then((m) => ({ default: m.PublicTicketPage })));

function Home() {
  const { user, signedIn } = useAuth();
  if (!signedIn) return <Navigate to="/login" replace />;
  return user ? <Navigate to={homePath(user)} replace /> : null;
}

export function AppRoutes() {
  return (
    <Suspense fallback={<PageLoader />}>
      <Routes>
      <Route path="/login" element={<LoginPage />} />
      {/* Devices and the public page: full screen, no user session. */}
      <Route path="/kiosk/:siteId" element={<KioskPage />} />
      <Route path="/display/:siteId" element={<DisplayPage />} />
      <Route path="/t/:token" element={<PublicTicketPage />} />
      <Route path="/s/:token" element={<PublicSurveyPage />} />
      <Route path="/kiosk/:siteId/rate" element={<KioskRatingPage />} />
      <Route element={<RequireAuth><AppLayout /></RequireAuth>}>
        <Route path="/desk" element={<DeskPage />} />
        <Route path="/supervisor" element={<RequireAuth role="supervisor"><SupervisorPage /></RequireAuth>} />
        <Route path="/devices" element={<RequireAuth role="admin"><DevicesPage /></RequireAuth>} />
        <Route path="/rooms" element={<RoomsPage />} />
        <Route path="/handover" element={<HandoverPage />} />
        <Route path="/tasks" element={<TasksPage />} />
        <Route path="/agenda" element={<AgendaPage />} />
        <Route path="/incidents" element={<IncidentsPage />} />
        <Route path="/messages" element={<MessagesPage />} />
        <Route path="/complaints" element={<ComplaintsPage />} />
        <Route path="/service-orders" element={<ServiceOrdersPage />} />
        <Route path="/service-orders/:orderId" element={<ServiceOrdersPage />} />
        <Route path="/providers" element={<ProvidersPage />} />
        <Route path="/satisfaction" element={<RequireAuth role="supervisor"><SatisfactionPage /></RequireAuth>} />
        <Route path="/surveys" element={<RequireAuth role="supervisor"><SurveyTemplatesPage /></RequireAuth>} />
      </Route>
      <Route path="*" element={<Home />} />
      </Routes>
    </Suspense>
  );
}
