import type { ChatDelivery, PostTarget } from '../../src/core/ports/chat-delivery.js';
import type { Platform } from '../../src/core/chat-event.js';
import type { Reply } from '../../src/core/reply.js';

export interface Delivered {
  readonly kind: 'post' | 'update';
  readonly target: PostTarget & { ref?: string };
  readonly reply: Reply;
}

/** A chat platform that keeps everything it is asked to post or update, in order. */
export function fakeChatDelivery(platform: Platform = 'console') {
  const delivered: Delivered[] = [];
  let sequence = 0;
  const delivery: ChatDelivery = {
    platform,
    post(target, reply) {
      sequence += 1;
      delivered.push({ kind: 'post', target, reply });
      return Promise.resolve({ ref: `m${sequence}`, threadId: target.threadId ?? `m${sequence}` });
    },
    update(target, reply) {
      delivered.push({ kind: 'update', target, reply });
      return Promise.resolve();
    },
  };
  return { delivery, delivered };
}
