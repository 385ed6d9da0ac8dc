import type { SiteLocale } from './locales.js';

/** All words on the site and in the chat, per locale, in one place. */
export interface Copy {
  languageName: string;
  title: (shop: string) => string;
  description: (shop: string) => string;
  skipToContent: string;
  tagline: string;
  servicesHeading: string;
  services: readonly string[];
  hoursHeading: string;
  closed: string;
  weekdays: readonly [string, string, string, string, string, string, string];
  statusOpenUntil: (time: string) => string;
  statusClosedOpensAt: (day: string, time: string) => string;
  statusClosed: string;
  contactHeading: string;
  callLabel: string;
  emailLabel: string;
  addressLabel: string;
  languagesLabel: string;
  footer: (shop: string) => string;
  launcher: string;
  closeChat: string;
  chatTitle: string;
  greeting: string;
  prompts: readonly { label: string; prompt: string }[];
  placeholder: string;
  disclaimer: string;
  fallbackTitle: string;
  fallbackBody: string;
  fallbackCall: string;
  fallbackText: string;
  fallbackEmail: string;
  retry: string;
  loading: string;
}

const en: Copy = {
  languageName: 'English',
  title: (shop) => `${shop} — car, boat and furniture upholstery`,
  description: (shop) => `${shop}: seat repair, headliners, custom interiors. Chat with us for a quote.`,
  skipToContent: 'Skip to content',
  tagline: 'Seats, headliners and interiors repaired and made new, by hand.',
  servicesHeading: 'What we do',
  services: ['Seat repair and re-covering', 'Headliners', 'Convertible tops', 'Boat and RV interiors', 'Furniture upholstery'],
  hoursHeading: 'Opening hours',
  closed: 'Closed',
  weekdays: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
  statusOpenUntil: (time) => `Open now · until ${time}`,
  statusClosedOpensAt: (day, time) => `Closed now · opens ${day} at ${time}`,
  statusClosed: 'Closed now',
  contactHeading: 'Visit or call',
  callLabel: 'Call',
  emailLabel: 'Email',
  addressLabel: 'Address',
  languagesLabel: 'Languages',
  footer: (shop) => `© ${shop}`,
  launcher: 'Chat with us',
  closeChat: 'Close chat',
  chatTitle: 'Chat with the shop',
  greeting: 'Hi! Tell us what needs fixing and we will get back to you.',
  prompts: [
    { label: 'Torn car seat', prompt: 'My car seat is torn. Can you fix it?' },
    { label: 'Sagging headliner', prompt: 'My headliner is sagging.' },
    { label: 'Opening hours', prompt: 'When are you open?' },
  ],
  placeholder: 'Describe the job…',
  disclaimer: 'An AI assistant answers for the shop; a person follows up.',
  fallbackTitle: 'The chat is not available right now',
  fallbackBody: 'You can still reach us directly:',
  fallbackCall: 'Call',
  fallbackText: 'Text',
  fallbackEmail: 'Email',
  retry: 'Try the chat again',
  loading: 'Opening the chat…',
};

const es: Copy = {
  languageName: 'Español',
  title: (shop) => `${shop} — tapicería de autos, lanchas y muebles`,
  description: (shop) => `${shop}: reparación de asientos, techos y interiores a medida. Escríbanos para un presupuesto.`,
  skipToContent: 'Ir al contenido',
  tagline: 'Asientos, techos e interiores reparados y como nuevos, a mano.',
  servicesHeading: 'Lo que hacemos',
  services: [
    'Reparación y retapizado de asientos',
    'Techos interiores',
    'Capotas de convertibles',
    'Interiores de lanchas y casas rodantes',
    'Tapicería de muebles',
  ],
  hoursHeading: 'Horario',
  closed: 'Cerrado',
  weekdays: ['lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado', 'domingo'],
  statusOpenUntil: (time) => `Abierto ahora · hasta las ${time}`,
  statusClosedOpensAt: (day, time) => `Cerrado ahora · abre el ${day} a las ${time}`,
  statusClosed: 'Cerrado ahora',
  contactHeading: 'Visítenos o llámenos',
  callLabel: 'Llamar',
  emailLabel: 'Correo',
  addressLabel: 'Dirección',
  languagesLabel: 'Idiomas',
  footer: (shop) => `© ${shop}`,
  launcher: 'Chatea con nosotros',
  closeChat: 'Cerrar el chat',
  chatTitle: 'Chat con el taller',
  greeting: '¡Hola! Cuéntenos qué necesita reparar y le responderemos.',
  prompts: [
    { label: 'Asiento roto', prompt: 'El asiento de mi carro está roto. ¿Lo pueden reparar?' },
    { label: 'Techo caído', prompt: 'El techo interior de mi carro se está cayendo.' },
    { label: 'Horario', prompt: '¿Cuándo están abiertos?' },
  ],
  placeholder: 'Describa el trabajo…',
  disclaimer: 'Un asistente de IA responde por el taller; una persona le dará seguimiento.',
  fallbackTitle: 'El chat no está disponible en este momento',
  fallbackBody: 'Puede comunicarse directamente con nosotros:',
  fallbackCall: 'Llamar',
  fallbackText: 'Mensaje de texto',
  fallbackEmail: 'Correo',
  retry: 'Intentar el chat de nuevo',
  loading: 'Abriendo el chat…',
};

const vi: Copy = {
  languageName: 'Tiếng Việt',
  title: (shop) => `${shop} — bọc nệm ô tô, thuyền và đồ nội thất`,
  description: (shop) => `${shop}: sửa ghế, trần xe, nội thất theo yêu cầu. Nhắn tin để được báo giá.`,
  skipToContent: 'Chuyển đến nội dung',
  tagline: 'Ghế, trần xe và nội thất được sửa và làm mới bằng tay.',
  servicesHeading: 'Dịch vụ của chúng tôi',
  services: ['Sửa và bọc lại ghế', 'Trần xe', 'Mui xe mui trần', 'Nội thất thuyền và xe RV', 'Bọc đồ nội thất'],
  hoursHeading: 'Giờ mở cửa',
  closed: 'Đóng cửa',
  weekdays: ['Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy', 'Chủ Nhật'],
  statusOpenUntil: (time) => `Đang mở cửa · đến ${time}`,
  statusClosedOpensAt: (day, time) => `Đang đóng cửa · mở lại ${day} lúc ${time}`,
  statusClosed: 'Đang đóng cửa',
  contactHeading: 'Ghé thăm hoặc gọi',
  callLabel: 'Gọi',
  emailLabel: 'Email',
  addressLabel: 'Địa chỉ',
  languagesLabel: 'Ngôn ngữ',
  footer: (shop) => `© ${shop}`,
  launcher: 'Trò chuyện với chúng tôi',
  closeChat: 'Đóng trò chuyện',
  chatTitle: 'Trò chuyện với cửa hàng',
  greeting: 'Xin chào! Hãy cho chúng tôi biết cần sửa gì, chúng tôi sẽ liên hệ lại.',
  prompts: [
    { label: 'Ghế xe bị rách', prompt: 'Ghế xe của tôi bị rách. Bạn sửa được không?' },
    { label: 'Trần xe bị xệ', prompt: 'Trần xe của tôi bị xệ.' },
    { label: 'Giờ mở cửa', prompt: 'Khi nào cửa hàng mở cửa?' },
  ],
  placeholder: 'Mô tả công việc…',
  disclaimer: 'Trợ lý AI trả lời thay cửa hàng; nhân viên sẽ liên hệ lại.',
  fallbackTitle: 'Hiện không thể trò chuyện',
  fallbackBody: 'Bạn vẫn có thể liên hệ trực tiếp:',
  fallbackCall: 'Gọi',
  fallbackText: 'Nhắn tin',
  fallbackEmail: 'Email',
  retry: 'Thử lại',
  loading: 'Đang mở trò chuyện…',
};

const zhHans: Copy = {
  languageName: '简体中文',
  title: (shop) => `${shop} — 汽车、船只和家具内饰`,
  description: (shop) => `${shop}：座椅修复、车顶内衬、定制内饰。在线咨询报价。`,
  skipToContent: '跳到正文',
  tagline: '座椅、车顶和内饰，手工修复如新。',
  servicesHeading: '我们的服务',
  services: ['座椅修复与换皮', '车顶内衬', '敞篷车顶', '船只和房车内饰', '家具软包'],
  hoursHeading: '营业时间',
  closed: '休息',
  weekdays: ['星期一', '星期二', '星期三', '星期四', '星期五', '星期六', '星期日'],
  statusOpenUntil: (time) => `营业中 · 至 ${time}`,
  statusClosedOpensAt: (day, time) => `休息中 · ${day} ${time} 开门`,
  statusClosed: '休息中',
  contactHeading: '到店或来电',
  callLabel: '电话',
  emailLabel: '邮箱',
  addressLabel: '地址',
  languagesLabel: '语言',
  footer: (shop) => `© ${shop}`,
  launcher: '在线咨询',
  closeChat: '关闭聊天',
  chatTitle: '与店铺聊天',
  greeting: '您好！请告诉我们需要修什么，我们会尽快回复您。',
  prompts: [
    { label: '座椅破了', prompt: '我的汽车座椅破了，可以修吗？' },
    { label: '车顶下垂', prompt: '我的车顶内衬下垂了。' },
    { label: '营业时间', prompt: '你们什么时候营业？' },
  ],
  placeholder: '描述一下需要做的活…',
  disclaimer: '由 AI 助手代表店铺回复，之后会有工作人员联系您。',
  fallbackTitle: '聊天暂时无法使用',
  fallbackBody: '您仍然可以直接联系我们：',
  fallbackCall: '打电话',
  fallbackText: '发短信',
  fallbackEmail: '发邮件',
  retry: '重试聊天',
  loading: '正在打开聊天…',
};

const ar: Copy = {
  languageName: 'العربية',
  title: (shop) => `${shop} — تنجيد السيارات والقوارب والأثاث`,
  description: (shop) => `${shop}: إصلاح المقاعد وبطانة السقف والتصميمات الداخلية حسب الطلب. راسلنا للحصول على عرض سعر.`,
  skipToContent: 'انتقل إلى المحتوى',
  tagline: 'مقاعد وأسقف وتصميمات داخلية تُصلَح وتعود جديدة، يدويًا.',
  servicesHeading: 'خدماتنا',
  services: ['إصلاح المقاعد وإعادة تنجيدها', 'بطانة السقف', 'أسقف السيارات المكشوفة', 'تنجيد القوارب والعربات', 'تنجيد الأثاث'],
  hoursHeading: 'ساعات العمل',
  closed: 'مغلق',
  weekdays: ['الاثنين', 'الثلاثاء', 'الأربعاء', 'الخميس', 'الجمعة', 'السبت', 'الأحد'],
  statusOpenUntil: (time) => `مفتوح الآن · حتى ${time}`,
  statusClosedOpensAt: (day, time) => `مغلق الآن · يفتح ${day} الساعة ${time}`,
  statusClosed: 'مغلق الآن',
  contactHeading: 'زورونا أو اتصلوا بنا',
  callLabel: 'اتصال',
  emailLabel: 'البريد الإلكتروني',
  addressLabel: 'العنوان',
  languagesLabel: 'اللغات',
  footer: (shop) => `© ${shop}`,
  launcher: 'تحدث معنا',
  closeChat: 'إغلاق المحادثة',
  chatTitle: 'محادثة مع المتجر',
  greeting: 'مرحبًا! أخبرنا بما يحتاج إلى إصلاح وسنعاود الاتصال بك.',
  prompts: [
    { label: 'مقعد ممزق', prompt: 'مقعد سيارتي ممزق. هل يمكنكم إصلاحه؟' },
    { label: 'سقف متدلٍ', prompt: 'بطانة سقف سيارتي متدلية.' },
    { label: 'ساعات العمل', prompt: 'متى تفتحون؟' },
  ],
  placeholder: 'صف العمل المطلوب…',
  disclaimer: 'يرد مساعد ذكاء اصطناعي نيابة عن المتجر، ثم يتابع معك أحد الموظفين.',
  fallbackTitle: 'المحادثة غير متاحة حاليًا',
  fallbackBody: 'لا يزال بإمكانك التواصل معنا مباشرة:',
  fallbackCall: 'اتصال',
  fallbackText: 'رسالة نصية',
  fallbackEmail: 'بريد إلكتروني',
  retry: 'أعد محاولة المحادثة',
  loading: 'جارٍ فتح المحادثة…',
};

export const COPY: Readonly<Record<SiteLocale, Copy>> = { en, es, vi, 'zh-Hans': zhHans, ar };
