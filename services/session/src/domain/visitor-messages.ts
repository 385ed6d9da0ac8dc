import type { LimitExceeded } from './usage-limits.js';
import type { AgentFailureKind } from '../ports.js';

type Message = LimitExceeded | AgentFailureKind | 'interrupted';

/** What the widget shows when a turn cannot go on (protocol `error` events, `code: custom`). */
const messages: Record<'en' | 'es', Record<Message, string>> = {
  en: {
    visitor_message_rate: 'You are sending messages very quickly. Please wait a minute and try again.',
    ip_message_rate: 'Too many messages from your network right now. Please wait a minute and try again.',
    input_too_long: 'That message is too long. Please shorten it and send it again.',
    thread_message_cap: 'This conversation has reached its length limit. Please call the shop, or start a new chat.',
    daily_thread_cap: 'You have started many chats today. Please call the shop, or come back tomorrow.',
    rate_limited: 'The assistant is busy right now. Please try again in a moment.',
    timeout: 'The assistant took too long to answer. Please try again.',
    upstream: 'The assistant is not answering right now. Please try again in a moment.',
    refused: 'The assistant could not answer that message. Please rephrase it.',
    interrupted: 'The answer was interrupted. Please try again.',
  },
  es: {
    visitor_message_rate: 'Está enviando mensajes muy rápido. Espere un minuto e inténtelo de nuevo.',
    ip_message_rate: 'Demasiados mensajes desde su red ahora mismo. Espere un minuto e inténtelo de nuevo.',
    input_too_long: 'Ese mensaje es demasiado largo. Acórtelo y envíelo de nuevo.',
    thread_message_cap: 'Esta conversación llegó a su límite. Llame al taller o empiece un chat nuevo.',
    daily_thread_cap: 'Hoy ha iniciado muchos chats. Llame al taller o vuelva mañana.',
    rate_limited: 'El asistente está ocupado. Inténtelo de nuevo en un momento.',
    timeout: 'El asistente tardó demasiado en responder. Inténtelo de nuevo.',
    upstream: 'El asistente no responde en este momento. Inténtelo de nuevo en un momento.',
    refused: 'El asistente no pudo responder a ese mensaje. Reformúlelo, por favor.',
    interrupted: 'La respuesta se interrumpió. Inténtelo de nuevo.',
  },
};

export function visitorMessage(kind: Message, locale: string): string {
  const language = locale.toLowerCase().startsWith('es') ? 'es' : 'en';
  return messages[language][kind];
}
