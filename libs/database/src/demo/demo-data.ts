import type { Role } from '@guichet/core/identity/principal';
import type { Closure, WeeklyHours } from '@guichet/core/organisation/opening-hours';
import type { ServiceLocation } from '@guichet/core/organisation/service.entity';
import type { PostalAddress } from '@guichet/core/organisation/site.entity';
import type { Availability } from '@guichet/core/organisation/staff.entity';

/**
 * Demonstration data: a town hall and a mobile reception point of a fictional French town.
 * Phone numbers are in ranges ARCEP reserves for fiction (02 61 91 …), except the partners'
 * real national short numbers; e-mail domains are reserved `.example`/`.demo` ones.
 */

export interface DemoService {
  code: string;
  name: string;
  location: ServiceLocation;
  phone: string;
  email: string;
  description: string;
  keywords: string[];
  openingHours?: WeeklyHours;
}

export interface DemoStaff {
  firstName: string;
  lastName: string;
  jobTitle: string;
  phoneExtension: string;
  serviceCode: string;
  availability: Availability;
  availabilityNote?: string;
  /** Links the directory entry to the login of the same person. */
  userEmail?: string;
}

export interface DemoPartner {
  name: string;
  description: string;
  keywords: string[];
  address: PostalAddress;
  phone: string;
  email?: string;
  website: string;
  openingHours: WeeklyHours;
}

/** A waiting queue of a service: tickets are numbered with its prefix (A001…). */
export interface DemoQueue {
  serviceCode: string;
  name: string;
  prefix: string;
  dailyCap?: number;
  /** Own hours; none inherits the service's, then the site's. */
  openingHours?: WeeklyHours;
}

export interface DemoCounter {
  name: string;
  location: string;
  /** Prefixes of the queues served, most preferred first. */
  queuePrefixes: string[];
}

export interface DemoArticle {
  kind: 'procedure' | 'faq' | 'form' | 'charter' | 'practical';
  title: string;
  body: string;
  tags: string[];
  serviceCode: string;
  source: string;
  attachments?: { name: string; url: string }[];
}

export interface DemoSite {
  code: string;
  name: string;
  address: PostalAddress;
  phone: string;
  email: string;
  timeZone: string;
  openingHours: WeeklyHours;
  mobile: boolean;
  services: DemoService[];
  staff: DemoStaff[];
  partners: DemoPartner[];
  queues: DemoQueue[];
  counters: DemoCounter[];
  requestCategories: string[];
  articles: DemoArticle[];
}

export interface DemoLogin {
  email: string;
  password: string;
  role: Role;
  /** French label of the role, for the start banner. */
  roleLabel: string;
  displayName: string;
  siteCodes: string[];
  serviceCode?: string;
}

export const TOWN_HALL_CODE = 'MAIRIE-SA';
export const DEMO_EMAIL_DOMAIN = 'saint-aubin.example';
export const MOBILE_SITE_CODE = 'ITINERANT';

/** The demo accounts, printed by the launcher at start. Public passwords: never load this into a real deployment. */
export const DEMO_LOGINS: readonly DemoLogin[] = [
  {
    email: 'admin@guichet.demo',
    password: 'Admin-Guichet-2026',
    role: 'admin',
    roleLabel: 'administratrice',
    displayName: 'Isabelle Lemaire',
    siteCodes: [TOWN_HALL_CODE, MOBILE_SITE_CODE],
  },
  {
    email: 'superviseur@guichet.demo',
    password: 'Superviseur-2026',
    role: 'supervisor',
    roleLabel: "responsable de l'accueil",
    displayName: 'Julien Roux',
    siteCodes: [TOWN_HALL_CODE, MOBILE_SITE_CODE],
    serviceCode: 'ACCUEIL',
  },
  {
    email: 'agent1@guichet.demo',
    password: 'Agent-Guichet-2026',
    role: 'agent',
    roleLabel: 'agente État civil',
    displayName: 'Camille Dubois',
    siteCodes: [TOWN_HALL_CODE],
    serviceCode: 'ETAT-CIVIL',
  },
  {
    email: 'agent2@guichet.demo',
    password: 'Agent-Guichet-2026',
    role: 'agent',
    roleLabel: "agent d'accueil (mairie et itinérant)",
    displayName: 'Thomas Girard',
    siteCodes: [TOWN_HALL_CODE, MOBILE_SITE_CODE],
    serviceCode: 'ACCUEIL',
  },
];

const weekdays = (...slots: [string, string][]): WeeklyHours => {
  const day = slots.map(([open, close]) => ({ open, close }));
  return { mon: day, tue: day, wed: day, thu: day, fri: day };
};

const ALWAYS_OPEN: WeeklyHours = Object.fromEntries(
  (['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const).map((day) => [day, [{ open: '00:00', close: '24:00' }]]),
);

const TOWN_HALL_HOURS: WeeklyHours = {
  ...weekdays(['08:30', '12:00'], ['13:30', '17:30']),
  sat: [{ open: '09:00', close: '12:00' }],
};

const townHallAddress: PostalAddress = { street: '1 place de la Mairie', postalCode: '35250', city: 'Saint-Aubin', country: 'France' };

/** prenom.nom@domain, without accents or spaces, as municipal addresses usually are. */
export function staffEmail(staff: Pick<DemoStaff, 'firstName' | 'lastName'>): string {
  const part = (name: string) =>
    name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z]+/g, '-');
  return `${part(staff.firstName)}.${part(staff.lastName)}@${DEMO_EMAIL_DOMAIN}`;
}

/** Days the sites are closed in `year`: the fixed French public holidays. */
export function demoClosures(year: number): Closure[] {
  return [
    [`${year}-01-01`, "Jour de l'an"],
    [`${year}-05-01`, 'Fête du Travail'],
    [`${year}-05-08`, 'Victoire 1945'],
    [`${year}-07-14`, 'Fête nationale'],
    [`${year}-08-15`, 'Assomption'],
    [`${year}-11-01`, 'Toussaint'],
    [`${year}-11-11`, 'Armistice 1918'],
    [`${year}-12-25`, 'Noël'],
  ].map(([date, label]) => ({ from: date, to: date, label }));
}

export const DEMO_SITES: readonly DemoSite[] = [
  {
    code: TOWN_HALL_CODE,
    name: 'Mairie de Saint-Aubin',
    address: townHallAddress,
    phone: '+33261911000',
    email: 'accueil@saint-aubin.example',
    timeZone: 'Europe/Paris',
    openingHours: TOWN_HALL_HOURS,
    mobile: false,
    services: [
      {
        code: 'ACCUEIL',
        name: 'Accueil général',
        location: { building: 'Hôtel de ville', floor: 'Rez-de-chaussée', office: 'Hall d’accueil' },
        phone: '+33261911000',
        email: 'accueil@saint-aubin.example',
        description:
          'Premier accueil physique et téléphonique : information sur les services municipaux, orientation, remise et retrait de formulaires, prise de rendez-vous.',
        keywords: ['accueil', 'information', 'renseignement', 'orientation', 'formulaire', 'rendez-vous', 'objets trouvés', 'standard'],
      },
      {
        code: 'ETAT-CIVIL',
        name: 'État civil',
        location: { building: 'Hôtel de ville', floor: 'Rez-de-chaussée', office: 'Bureau 4' },
        phone: '+33261911010',
        email: 'etat-civil@saint-aubin.example',
        description:
          "Actes de naissance, de mariage et de décès, livret de famille, reconnaissance anticipée, PACS, recensement citoyen. Cartes d'identité et passeports sur rendez-vous.",
        keywords: [
          'acte de naissance',
          'acte de mariage',
          'acte de décès',
          'livret de famille',
          'mariage',
          'PACS',
          "carte nationale d'identité",
          'CNI',
          'passeport',
          'recensement citoyen',
          'reconnaissance',
        ],
      },
      {
        code: 'URBANISME',
        name: 'Urbanisme',
        location: { building: 'Hôtel de ville', floor: '1er étage', office: 'Bureau 12' },
        phone: '+33261911020',
        email: 'urbanisme@saint-aubin.example',
        description:
          "Permis de construire, déclarations préalables de travaux, certificats d'urbanisme, consultation du plan local d'urbanisme (PLU), conformité des travaux.",
        keywords: [
          'permis de construire',
          'déclaration préalable',
          'travaux',
          "certificat d'urbanisme",
          'PLU',
          'cadastre',
          'clôture',
          'piscine',
          'extension',
        ],
        openingHours: weekdays(['08:30', '12:00']),
      },
      {
        code: 'CCAS',
        name: 'CCAS',
        location: { building: 'Maison des solidarités', floor: 'Rez-de-chaussée', office: 'Bureau 2' },
        phone: '+33261911030',
        email: 'ccas@saint-aubin.example',
        description:
          "Centre communal d'action sociale : aides financières d'urgence, domiciliation, aide alimentaire, accompagnement des personnes âgées et handicapées, portage de repas.",
        keywords: [
          'aide sociale',
          "aide d'urgence",
          'aide alimentaire',
          'domiciliation',
          'personnes âgées',
          'handicap',
          'APA',
          'portage de repas',
          'énergie',
          'logement',
        ],
        openingHours: weekdays(['09:00', '12:00'], ['14:00', '17:00']),
      },
    ],
    staff: [
      {
        firstName: 'Julien',
        lastName: 'Roux',
        jobTitle: "Responsable de l'accueil",
        phoneExtension: '100',
        serviceCode: 'ACCUEIL',
        availability: 'available',
        userEmail: 'superviseur@guichet.demo',
      },
      {
        firstName: 'Thomas',
        lastName: 'Girard',
        jobTitle: "Agent d'accueil",
        phoneExtension: '101',
        serviceCode: 'ACCUEIL',
        availability: 'available',
        userEmail: 'agent2@guichet.demo',
      },
      {
        firstName: 'Nadia',
        lastName: 'Benali',
        jobTitle: "Agente d'accueil et standardiste",
        phoneExtension: '102',
        serviceCode: 'ACCUEIL',
        availability: 'busy',
        availabilityNote: "Au standard jusqu'à 14 h",
      },
      {
        firstName: 'Élodie',
        lastName: 'Lefèvre',
        jobTitle: "Responsable de l'état civil",
        phoneExtension: '110',
        serviceCode: 'ETAT-CIVIL',
        availability: 'away',
        availabilityNote: "En cérémonie de mariage jusqu'à 16 h",
      },
      {
        firstName: 'Camille',
        lastName: 'Dubois',
        jobTitle: "Officière d'état civil",
        phoneExtension: '112',
        serviceCode: 'ETAT-CIVIL',
        availability: 'available',
        userEmail: 'agent1@guichet.demo',
      },
      {
        firstName: 'François',
        lastName: 'Petit',
        jobTitle: "Instructeur des autorisations d'urbanisme",
        phoneExtension: '120',
        serviceCode: 'URBANISME',
        availability: 'available',
      },
      {
        firstName: 'Sandrine',
        lastName: 'Moreau',
        jobTitle: "Responsable du service de l'urbanisme",
        phoneExtension: '121',
        serviceCode: 'URBANISME',
        availability: 'absent',
        availabilityNote: 'En congé, de retour lundi',
      },
      {
        firstName: 'Marie-Claire',
        lastName: 'Fontaine',
        jobTitle: 'Directrice du CCAS',
        phoneExtension: '130',
        serviceCode: 'CCAS',
        availability: 'busy',
      },
      {
        firstName: 'Karim',
        lastName: 'Haddad',
        jobTitle: 'Conseiller en économie sociale et familiale',
        phoneExtension: '131',
        serviceCode: 'CCAS',
        availability: 'available',
      },
    ],
    partners: [
      {
        name: "Caisse d'allocations familiales (CAF)",
        description:
          "Prestations familiales, aides au logement (APL), revenu de solidarité active (RSA), prime d'activité. Accueil sur rendez-vous ; la plupart des démarches se font sur caf.fr.",
        keywords: ['allocations familiales', 'APL', 'aide au logement', 'RSA', "prime d'activité", 'quotient familial', 'garde d’enfant'],
        address: { street: '12 rue des Lices', postalCode: '35250', city: 'Saint-Aubin', country: 'France' },
        phone: '3230',
        website: 'https://www.caf.fr',
        openingHours: weekdays(['08:30', '12:30'], ['13:30', '16:30']),
      },
      {
        name: "Caisse primaire d'assurance maladie (CPAM)",
        description:
          'Carte Vitale, remboursement des soins, complémentaire santé solidaire, indemnités journalières, déclaration de médecin traitant.',
        keywords: ['assurance maladie', 'carte Vitale', 'remboursement', 'complémentaire santé solidaire', 'C2S', 'arrêt de travail', 'ameli'],
        address: { street: '5 boulevard de la Liberté', postalCode: '35250', city: 'Saint-Aubin', country: 'France' },
        phone: '3646',
        website: 'https://www.ameli.fr',
        openingHours: weekdays(['08:30', '12:00'], ['13:30', '17:00']),
      },
      {
        name: 'France Travail',
        description:
          "Inscription comme demandeur d'emploi, allocations chômage, offres d'emploi, accompagnement et formation. Accueil libre le matin, sur rendez-vous l'après-midi.",
        keywords: ['emploi', 'chômage', "demandeur d'emploi", 'inscription', 'allocation chômage', 'formation', 'Pôle emploi', 'offres'],
        address: { street: '18 avenue Jean-Jaurès', postalCode: '35250', city: 'Saint-Aubin', country: 'France' },
        phone: '3949',
        website: 'https://www.francetravail.fr',
        openingHours: weekdays(['08:30', '12:30'], ['13:30', '16:30']),
      },
      {
        name: 'Maison de la justice et du droit',
        description:
          "Accès au droit gratuit et confidentiel : consultations d'avocats, conciliateur de justice, médiation familiale, aide aux victimes, information juridique (logement, travail, famille).",
        keywords: ['avocat', 'conseil juridique', 'conciliateur', 'médiation', 'aide aux victimes', 'litige', 'droit', 'justice', 'voisinage'],
        address: { street: '3 rue du Palais', postalCode: '35250', city: 'Saint-Aubin', country: 'France' },
        phone: '+33261911090',
        email: 'mjd@saint-aubin.example',
        website: 'https://www.justice.fr',
        openingHours: { tue: [{ open: '09:00', close: '12:00' }, { open: '14:00', close: '17:00' }], thu: [{ open: '14:00', close: '18:00' }] },
      },
    ],
    queues: [
      // Open around the clock in the demo only, so the kiosk-to-desk walkthrough works whenever it is tried.
      { serviceCode: 'ACCUEIL', name: 'Accueil général', prefix: 'A', openingHours: ALWAYS_OPEN },
      { serviceCode: 'ETAT-CIVIL', name: 'État civil', prefix: 'E' },
      { serviceCode: 'URBANISME', name: 'Urbanisme', prefix: 'U', dailyCap: 40 },
      { serviceCode: 'CCAS', name: 'CCAS — action sociale', prefix: 'C' },
    ],
    counters: [
      { name: 'Guichet 1', location: 'Hall, à gauche', queuePrefixes: ['A', 'E'] },
      { name: 'Guichet 2', location: 'Hall, au centre', queuePrefixes: ['A', 'C'] },
      { name: 'Guichet 3', location: 'Hall, à droite', queuePrefixes: ['E', 'A'] },
      { name: 'Bureau Urbanisme', location: '1er étage, bureau 12', queuePrefixes: ['U'] },
    ],
    requestCategories: ['État civil', 'Identité (CNI, passeport)', 'Urbanisme', 'Aides sociales', 'Élections', 'Information générale', 'Réclamation'],
    articles: [
      {
        kind: 'procedure',
        title: 'Demander un acte de naissance',
        body:
          "Un acte de naissance se demande à la mairie du lieu de naissance, au guichet de l'état civil, par courrier ou en ligne sur service-public.fr. " +
          "Pièces : une pièce d'identité ; pour un acte d'un tiers (parent, enfant), un justificatif de filiation. Délivrance gratuite, sous 3 à 5 jours par courrier, immédiate au guichet. " +
          'Copie intégrale ou extrait avec ou sans filiation selon la démarche (mariage, PACS, passeport).',
        tags: ['acte de naissance', 'état civil', 'copie intégrale', 'extrait'],
        serviceCode: 'ETAT-CIVIL',
        source: 'service-public.fr, fiche F1427',
        attachments: [{ name: 'Formulaire de demande (PDF)', url: 'https://www.saint-aubin.example/docs/demande-acte-naissance.pdf' }],
      },
      {
        kind: 'procedure',
        title: 'Demander un acte de mariage',
        body: "L'acte de mariage se demande à la mairie du lieu du mariage. Les époux, leurs ascendants et descendants peuvent obtenir une copie intégrale.",
        tags: ['acte de mariage', 'état civil'],
        serviceCode: 'ETAT-CIVIL',
        source: 'service-public.fr, fiche F1431',
      },
      {
        kind: 'procedure',
        title: "Carte nationale d'identité et passeport",
        body:
          'Sur rendez-vous uniquement. Pré-demande en ligne (ANTS), photo récente, justificatif de domicile de moins d’un an, ancien titre. ' +
          'Délai de fabrication : 2 à 6 semaines selon la période. Retrait en personne au guichet de l’état civil.',
        tags: ['CNI', 'passeport', 'identité', 'ANTS', 'rendez-vous'],
        serviceCode: 'ETAT-CIVIL',
        source: 'ANTS',
      },
      {
        kind: 'faq',
        title: 'Déposer un permis de construire',
        body: "Le dossier (formulaire Cerfa 13406*15 ou 13409*15, plans) se dépose en mairie ou en ligne. Délai d'instruction : 2 mois pour une maison individuelle.",
        tags: ['permis de construire', 'urbanisme', 'cerfa'],
        serviceCode: 'URBANISME',
        source: 'service-public.fr, fiche F1986',
      },
      {
        kind: 'practical',
        title: 'Horaires et accès de la mairie',
        body: 'Ouverte du lundi au vendredi de 8 h 30 à 12 h et de 13 h 30 à 17 h 30, le samedi de 9 h à 12 h. Accès PMR par l’entrée latérale, rue des Écoles. Boucle magnétique aux guichets 1 et 2.',
        tags: ['horaires', 'accès', 'PMR', 'accessibilité'],
        serviceCode: 'ACCUEIL',
        source: 'Mairie de Saint-Aubin',
      },
      {
        kind: 'charter',
        title: "Charte d'accueil Marianne",
        body: "Nous nous engageons à vous accueillir avec courtoisie, à vous orienter vers le bon interlocuteur, à répondre à vos courriers sous 15 jours ouvrés et à prendre en compte vos réclamations.",
        tags: ['charte', 'qualité', 'engagements'],
        serviceCode: 'ACCUEIL',
        source: 'Référentiel Marianne (DITP)',
      },
      {
        kind: 'form',
        title: "Demande d'aide sociale facultative (CCAS)",
        body: 'Formulaire à remplir avec le travailleur social du CCAS : ressources du foyer, charges, justificatifs. Rendez-vous conseillé.',
        tags: ['aide sociale', 'CCAS', 'secours', 'formulaire'],
        serviceCode: 'CCAS',
        source: 'CCAS de Saint-Aubin',
      },
    ],
  },
  {
    code: MOBILE_SITE_CODE,
    name: "Point d'accueil itinérant",
    // The base the bus leaves from; visitors meet it at the weekly stops.
    address: { street: 'Centre technique municipal, 40 rue de la Gare', postalCode: '35250', city: 'Saint-Aubin', country: 'France' },
    phone: '+33261911040',
    email: 'itinerant@saint-aubin.example',
    timeZone: 'Europe/Paris',
    openingHours: {
      tue: [{ open: '09:00', close: '12:00' }],
      wed: [{ open: '14:00', close: '17:00' }],
      thu: [{ open: '09:00', close: '12:00' }],
    },
    mobile: true,
    services: [
      {
        code: 'ITINERANT',
        name: 'Accueil itinérant',
        location: { building: 'Bus France services', floor: 'Plain-pied (rampe PMR)', office: 'Poste d’accueil mobile' },
        phone: '+33261911040',
        email: 'itinerant@saint-aubin.example',
        description:
          "Permanences dans les hameaux et au marché : aide aux démarches en ligne, information municipale, prise de rendez-vous avec les services de la mairie et les partenaires.",
        keywords: ['itinérant', 'bus', 'permanence', 'marché', 'hameaux', 'démarches en ligne', 'numérique', 'France services'],
      },
    ],
    staff: [
      {
        firstName: 'Léa',
        lastName: 'Garnier',
        jobTitle: 'Conseillère France services itinérante',
        phoneExtension: '140',
        serviceCode: 'ITINERANT',
        availability: 'available',
        availabilityNote: 'Mardi : marché place du Champ-de-Foire',
      },
    ],
    partners: [],
    queues: [{ serviceCode: 'ITINERANT', name: 'Accueil itinérant', prefix: 'M' }],
    counters: [{ name: 'Tablette itinérante', location: 'Camping-car France services', queuePrefixes: ['M'] }],
    requestCategories: ['Démarches en ligne', 'Aides sociales', 'Information générale'],
    articles: [],
  },
];
