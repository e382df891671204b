import { describe, expect, it } from 'vitest';
import { matchesRegistered } from '../../../../adapters/discord/matches-registered.js';

const wanted = {
  name: 'tas',
  description: 'Operate the stacks',
  options: [
    {
      type: 1,
      name: 'logs',
      description: 'logs',
      options: [{ type: 3, name: 'service', description: 's', required: true, autocomplete: true }],
    },
    { type: 1, name: 'status', description: 'status', options: [] },
  ],
};

describe('matchesRegistered', () => {
  describe('when Discord returns the commands with fields of its own', () => {
    it('counts them as registered already', () => {
      const registered = {
        ...wanted,
        id: '1',
        application_id: '2',
        version: '3',
        default_member_permissions: null,
        nsfw: false,
      };
      expect(matchesRegistered([wanted], [registered])).toBe(true);
    });
  });

  describe('when Discord leaves out what was sent with its default value', () => {
    it('counts a missing `required: false` and a missing empty option list as the same', () => {
      const sent = {
        ...wanted,
        options: [
          { type: 1, name: 'status', description: 'status', options: [] },
          {
            type: 1,
            name: 'help',
            description: 'help',
            options: [{ type: 3, name: 'command', description: 'c', required: false }],
          },
        ],
      };
      const registered = {
        ...wanted,
        options: [
          { type: 1, name: 'status', description: 'status' },
          {
            type: 1,
            name: 'help',
            description: 'help',
            options: [{ type: 3, name: 'command', description: 'c' }],
          },
        ],
      };
      expect(matchesRegistered([sent], [registered])).toBe(true);
    });
  });

  describe('when the commands differ', () => {
    it('asks for a new registration for a new subcommand, a changed description, a reordering or no commands at all', () => {
      const added = {
        ...wanted,
        options: [...wanted.options, { type: 1, name: 'audit', description: 'a', options: [] }],
      };
      const described = { ...wanted, description: 'something else' };
      const reordered = { ...wanted, options: [...wanted.options].reverse() };
      expect(matchesRegistered([added], [wanted])).toBe(false);
      expect(matchesRegistered([described], [wanted])).toBe(false);
      expect(matchesRegistered([reordered], [wanted])).toBe(false);
      expect(matchesRegistered([wanted], [])).toBe(false);
      expect(matchesRegistered([wanted], [wanted, { ...wanted, name: 'other' }])).toBe(false);
    });

    it('asks for a new registration when an option stops being required', () => {
      const loose = structuredClone(wanted);
      const service = loose.options[0]!.options[0]!;
      service.required = false;
      expect(matchesRegistered([wanted], [loose])).toBe(false);
    });
  });
});
