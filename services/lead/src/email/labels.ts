import type { SummaryFailure, SummaryFailureReason } from '../domain/summary-failure.js';
import type { LeadEmailTrigger } from './types.js';

/** Every shop-facing word in the lead email, per shop language. */
export interface LeadEmailLabels {
  /** BCP 47 language of these labels (used for dates and language names too). */
  language: string;
  newLead: string;
  summaryUnavailable: string;
  degradedBannerBody: string;
  /** The degraded banner's reason line: why the summary could not be had. */
  degradedReasons: Record<SummaryFailureReason, string>;
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
  /** The follow-up email: what the customer wrote after the lead email. */
  followUp: string;
  followUpHeadline: (count: number) => string;
  newContact: string;
  newMessages: string;
  earlierInLeadEmail: string;
  theCustomer: string;
}

const en: LeadEmailLabels = {
  language: 'en',
  newLead: 'New lead',
  summaryUnavailable: 'AI summary unavailable',
  degradedBannerBody:
    'The AI summary could not be produced for this chat. The contact details and the full transcript are below: read the transcript before calling.',
  degradedReasons: {
    timeout: 'The AI service did not answer in time.',
    unreachable: 'The AI service could not be reached.',
    rate_limited: 'The AI service turned the request away (rate limit or quota reached).',
    service_error: 'The AI service failed with an error on its side.',
    rejected: 'The AI service rejected the request (check the lead service’s OpenAI key, model and settings).',
    refused: 'The AI declined to summarize this conversation.',
    incomplete: 'The AI summary was cut short.',
    unusable_answer: 'The AI service’s answer could not be read as a summary.',
    unknown: 'The AI summary failed for an unexpected reason (see the lead service’s logs).',
  },
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
  followUp: 'Follow-up',
  followUpHeadline: (count) => (count === 1 ? 'The customer wrote 1 more message' : `The customer wrote ${count} more messages`),
  newContact: 'New contact details',
  newMessages: 'New messages',
  earlierInLeadEmail: 'The earlier conversation is in the lead email this one answers.',
  theCustomer: 'the customer',
};

const es: LeadEmailLabels = {
  language: 'es',
  newLead: 'Nuevo cliente',
  summaryUnavailable: 'resumen de IA no disponible',
  degradedBannerBody:
    'No se pudo generar el resumen de IA de este chat. Abajo están los datos de contacto y la conversación completa: léala antes de llamar.',
  degradedReasons: {
    timeout: 'El servicio de IA no respondió a tiempo.',
    unreachable: 'No se pudo contactar con el servicio de IA.',
    rate_limited: 'El servicio de IA rechazó la solicitud (límite de uso o cuota alcanzados).',
    service_error: 'El servicio de IA falló con un error propio.',
    rejected: 'El servicio de IA rechazó la solicitud (revise la clave, el modelo y la configuración de OpenAI del servicio de leads).',
    refused: 'La IA se negó a resumir esta conversación.',
    incomplete: 'El resumen de IA quedó incompleto.',
    unusable_answer: 'La respuesta del servicio de IA no se pudo leer como resumen.',
    unknown: 'El resumen de IA falló por un motivo inesperado (vea los registros del servicio de leads).',
  },
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
  followUp: 'Seguimiento',
  followUpHeadline: (count) => (count === 1 ? 'El cliente escribió 1 mensaje más' : `El cliente escribió ${count} mensajes más`),
  newContact: 'Datos de contacto nuevos',
  newMessages: 'Mensajes nuevos',
  earlierInLeadEmail: 'La conversación anterior está en el correo del cliente al que este responde.',
  theCustomer: 'el cliente',
};

const DICTIONARIES: Readonly<Record<string, LeadEmailLabels>> = { en, es };

const primaryLanguage = (tag: string | null | undefined): string => (tag ?? '').trim().toLowerCase().split(/[-_]/)[0] ?? '';

/** The labels for a language tag (`es-MX` → Spanish); undefined when there is no dictionary. */
export function findLabels(tag: string | null | undefined): LeadEmailLabels | undefined {
  const language = primaryLanguage(tag);
  return Object.hasOwn(DICTIONARIES, language) ? DICTIONARIES[language] : undefined;
}

/** The labels for the shop language, falling back to English. */
export function labelsFor(tag: string | null | undefined): LeadEmailLabels {
  return findLabels(tag) ?? en;
}

/** The degraded email's reason line in the shop language, e.g. `The AI service failed with an error on its side. (HTTP 503)`. */
export function degradedReasonText(failure: SummaryFailure, shopLanguage: string): string {
  const text = labelsFor(shopLanguage).degradedReasons[failure.reason];
  return failure.status === undefined ? text : `${text} (HTTP ${failure.status})`;
}
