import { slackPairScenario } from './slack-pair-scenario.js';

slackPairScenario('http');
