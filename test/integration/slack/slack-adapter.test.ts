import { slackAdapterContract } from './slack-contract.js';

slackAdapterContract('socket');
slackAdapterContract('http');
