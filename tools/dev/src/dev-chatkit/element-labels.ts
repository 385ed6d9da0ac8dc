/**
 * The element's own words, in the language of ChatKit's `locale` option (as the real runtime
 * localizes its controls), for the languages the site ships; others get English.
 */
export interface Labels {
  close: string;
  message: string;
  send: string;
  connectionLost: string;
  genericError: string;
  answered: (status: number) => string;
}

const en: Labels = {
  close: 'Close',
  message: 'Message',
  send: 'Send',
  connectionLost: 'The connection was lost.',
  genericError: 'Something went wrong. Please try again.',
  answered: (status) => `The chat answered ${status}.`,
};

const LABELS: Readonly<Record<string, Labels>> = {
  en,
  es: {
    close: 'Cerrar',
    message: 'Mensaje',
    send: 'Enviar',
    connectionLost: 'Se perdió la conexión.',
    genericError: 'Algo salió mal. Inténtelo de nuevo.',
    answered: (status) => `El chat respondió ${status}.`,
  },
  vi: {
    close: 'Đóng',
    message: 'Tin nhắn',
    send: 'Gửi',
    connectionLost: 'Mất kết nối.',
    genericError: 'Đã xảy ra lỗi. Vui lòng thử lại.',
    answered: (status) => `Trò chuyện trả lời ${status}.`,
  },
  zh: {
    close: '关闭',
    message: '消息',
    send: '发送',
    connectionLost: '连接已断开。',
    genericError: '出错了，请重试。',
    answered: (status) => `聊天服务返回 ${status}。`,
  },
  ar: {
    close: 'إغلاق',
    message: 'رسالة',
    send: 'إرسال',
    connectionLost: 'انقطع الاتصال.',
    genericError: 'حدث خطأ ما. يُرجى المحاولة مرة أخرى.',
    answered: (status) => `أجابت المحادثة ${status}.`,
  },
};

const RTL_LANGUAGES = new Set(['ar', 'fa', 'he', 'ur']);

const language = (locale: string) => locale.split('-')[0]!.toLowerCase();

export const labelsFor = (locale: string): Labels => LABELS[language(locale)] ?? en;

export const directionOf = (locale: string): 'rtl' | 'ltr' => (RTL_LANGUAGES.has(language(locale)) ? 'rtl' : 'ltr');
