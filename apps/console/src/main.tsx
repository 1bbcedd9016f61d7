import '@mantine/core/styles.css';
import './app/global.css';
import './i18n';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';

createRoot(document.getElementById('root')!).render(<App />);
