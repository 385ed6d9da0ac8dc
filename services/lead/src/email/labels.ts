import type { LeadEmailTrigger } from './types.js';

/** Every shop-facing word in the lead email, per shop language. */
export interface LeadEmailLabels {
  /** BCP 47 language of these labels (used for dates and language names too). */
  language: string;
  newLead: string;
  summaryUnavailable: string;
  degradedBannerBody: string;
  unknownContact: string;
  quickActions: string;
  call: string;
  text: string;
  email: string;
  openPage: string;
  conversationRecord: string;
  contact: string;
  name: string;
  phone: string;
  emailAddress: string;
  page: string;
  pageLanguage: string;
  thread: string;
  started: string;
  trigger: string;
  noContact: string;
  summary: string;
  handoffReady: string;
  handoffNotReady: string;
  vehicle: string;
  projectDetails: string;
  nextSteps: string;
  followUpQuestions: string;
  missingInfo: string;
  callScript: string;
  outreachDraft: string;
  outreachIn: (languageName: string) => string;
  outreachHint: string;
  transcript: string;
  customer: string;
  assistant: string;
  timesIn: (timeZone: string) => string;
  messageCount: (count: number) => string;
  noMessages: string;
  attachments: string;
  noLink: string;
  replyHint: string;
  footer: (shopName: string) => string;
  triggers: Record<LeadEmailTrigger, string>;
  /** Subject of the outreach email the shop sends the customer (customer-language side). */
  outreachSubject: (shopName: string) => string;
}

const en: LeadEmailLabels = {
  language: 'en',
  newLead: 'New lead',
  summaryUnavailable: 'AI summary unavailable',
  degradedBannerBody:
    'The AI summary could not be produced for this chat. The contact details and the full transcript are below: read the transcript before calling.',
  unknownContact: 'no contact given',
  quickActions: 'Quick actions',
  call: 'Call',
  text: 'Text',
  email: 'Email',
  openPage: 'Open page',
  conversationRecord: 'Conversation record',
  contact: 'Customer contact',
  name: 'Name',
  phone: 'Phone',
  emailAddress: 'Email',
  page: 'Page',
  pageLanguage: 'Page language',
  thread: 'Thread',
  started: 'Chat started',
  trigger: 'Sent because',
  noContact: 'The customer left no phone number or email address.',
  summary: 'AI summary',
  handoffReady: 'Ready to call',
  handoffNotReady: 'Not ready yet',
  vehicle: 'Vehicle',
  projectDetails: 'Project details',
  nextSteps: 'Next steps',
  followUpQuestions: 'Follow-up questions',
  missingInfo: 'Missing info',
  callScript: 'Call script',
  outreachDraft: 'Outreach draft',
  outreachIn: (languageName) => `In ${languageName}`,
  outreachHint: 'Copy and paste it, or use the Text / Email buttons above (they prefill it).',
  transcript: 'Transcript',
  customer: 'Customer',
  assistant: 'Assistant',
  timesIn: (timeZone) => `Times in ${timeZone}`,
  messageCount: (count) => (count === 1 ? '1 message' : `${count} messages`),
  noMessages: 'No messages.',
  attachments: 'Photos & files',
  noLink: 'no link',
  replyHint: 'Replying to this email writes to the customer.',
  footer: (shopName) => `Sent by the website chat of ${shopName}.`,
  triggers: {
    auto: 'the assistant judged the lead ready',
    idle: 'the customer went quiet',
    pagehide: 'the customer left the page',
    chat_closed: 'the customer closed the chat',
    safety_net: 'the server’s follow-up check found it',
    resend: 'it was resent',
  },
  outreachSubject: (shopName) => `Your request – ${shopName}`,
};

const es: LeadEmailLabels = {
  language: 'es',
  newLead: 'Nuevo cliente',
  summaryUnavailable: 'resumen de IA no disponible',
  degradedBannerBody:
    'No se pudo generar el resumen de IA de este chat. Abajo están los datos de contacto y la conversación completa: léala antes de llamar.',
  unknownContact: 'sin contacto',
  quickActions: 'Acciones rápidas',
  call: 'Llamar',
  text: 'SMS',
  email: 'Correo',
  openPage: 'Abrir página',
  conversationRecord: 'Registro de la conversación',
  contact: 'Contacto del cliente',
  name: 'Nombre',
  phone: 'Teléfono',
  emailAddress: 'Correo',
  page: 'Página',
  pageLanguage: 'Idioma de la página',
  thread: 'Conversación',
  started: 'Inicio del chat',
  trigger: 'Enviado porque',
  noContact: 'El cliente no dejó teléfono ni correo.',
  summary: 'Resumen de IA',
  handoffReady: 'Listo para llamar',
  handoffNotReady: 'Aún no está listo',
  vehicle: 'Vehículo',
  projectDetails: 'Detalles del trabajo',
  nextSteps: 'Próximos pasos',
  followUpQuestions: 'Preguntas de seguimiento',
  missingInfo: 'Falta',
  callScript: 'Guion de llamada',
  outreachDraft: 'Borrador de mensaje',
  outreachIn: (languageName) => `En ${languageName}`,
  outreachHint: 'Cópielo y péguelo, o use los botones SMS / Correo de arriba (ya lo incluyen).',
  transcript: 'Conversación',
  customer: 'Cliente',
  assistant: 'Asistente',
  timesIn: (timeZone) => `Horas en ${timeZone}`,
  messageCount: (count) => (count === 1 ? '1 mensaje' : `${count} mensajes`),
  noMessages: 'Sin mensajes.',
  attachments: 'Fotos y archivos',
  noLink: 'sin enlace',
  replyHint: 'Si responde a este correo, le escribe al cliente.',
  footer: (shopName) => `Enviado por el chat del sitio web de ${shopName}.`,
  triggers: {
    auto: 'el asistente consideró listo al cliente',
    idle: 'el cliente dejó de escribir',
    pagehide: 'el cliente salió de la página',
    chat_closed: 'el cliente cerró el chat',
    safety_net: 'la revisión del servidor lo encontró',
    resend: 'se reenvió',
  },
  outreachSubject: (shopName) => `Su solicitud – ${shopName}`,
};

const DICTIONARIES: Readonly<Record<string, LeadEmailLabels>> = { en, es };

/** Languages with a label dictionary. */
export const LEAD_EMAIL_LANGUAGES: readonly string[] = Object.keys(DICTIONARIES);

const primaryLanguage = (tag: string | null | undefined): string =>
  (tag ?? '').trim().toLowerCase().split(/[-_]/)[0] ?? '';

/** The labels for a language tag (`es-MX` → Spanish); undefined when there is no dictionary. */
export function findLabels(tag: string | null | undefined): LeadEmailLabels | undefined {
  const language = primaryLanguage(tag);
  return Object.hasOwn(DICTIONARIES, language) ? DICTIONARIES[language] : undefined;
}

/** The labels for the shop language, falling back to English. */
export function labelsFor(tag: string | null | undefined): LeadEmailLabels {
  return findLabels(tag) ?? en;
}
