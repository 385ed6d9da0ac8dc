import type { ChatKitOptions } from '@openai/chatkit';
import type { WidgetConfig } from '../launcher/widget-config.js';

/** ChatKit's options for the shop's chat: our server, the page's language, no history, no uploads. */
export function chatKitOptions(
  config: WidgetConfig,
  deps: { fetch: typeof fetch; initialThread: string | null; onClose: () => void },
): ChatKitOptions {
  return {
    api: { url: config.chatKitUrl, domainKey: config.domainKey, fetch: deps.fetch },
    locale: config.chatKitLocale as ChatKitOptions['locale'],
    frameTitle: config.text.chatTitle,
    initialThread: deps.initialThread,
    theme: { colorScheme: 'light', radius: 'round', color: { accent: { primary: config.shop.accentColor, level: 1 } } },
    header: {
      enabled: true,
      title: { text: config.shop.name },
      rightAction: { icon: 'collapse-large', onClick: deps.onClose },
    },
    history: { enabled: false },
    startScreen: { greeting: config.text.greeting, prompts: config.text.prompts.map(({ label, prompt }) => ({ label, prompt })) },
    composer: { placeholder: config.text.placeholder, attachments: { enabled: false } },
    disclaimer: { text: config.text.disclaimer },
    threadItemActions: { feedback: false, retry: true },
  };
}
