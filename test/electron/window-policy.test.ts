import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  devServerUrl,
  EXTERNAL_HOSTS,
  isAllowedExternal,
} from '../../src/main/electron/window-policy';

describe('the desktop window policy', () => {
  it('honours ELECTRON_RENDERER_URL only in development, and only for a local http server', () => {
    const env = { ELECTRON_RENDERER_URL: 'http://localhost:5173' };
    expect(devServerUrl(false, env)).toBe('http://localhost:5173');
    // A packaged app never loads what the environment names.
    expect(devServerUrl(true, env)).toBeNull();
    expect(devServerUrl(true, { ELECTRON_RENDERER_URL: 'https://evil.example/' })).toBeNull();
    for (const url of [
      'https://evil.example/',
      'file:///etc/passwd',
      'http://10.0.0.1:5173',
      'nonsense',
    ]) {
      expect(devServerUrl(false, { ELECTRON_RENDERER_URL: url }), url).toBeNull();
    }
    expect(devServerUrl(false, {})).toBeNull();
  });

  it('opens only https links to the allowed hosts in the system browser', () => {
    expect(EXTERNAL_HOSTS.length).toBeGreaterThan(0);
    for (const host of EXTERNAL_HOSTS) expect(isAllowedExternal(`https://${host}/x`)).toBe(true);
    for (const url of [
      'http://github.com/',
      'https://evil.example/',
      'https://github.com.evil.example/',
      'https://user:pw@github.com/',
      'file:///etc/passwd',
      'smb://host/share',
      'javascript:alert(1)',
      'not a url',
    ]) {
      expect(isAllowedExternal(url), url).toBe(false);
    }
  });

  it('the packaging config sets the fuses the security checklist asks for', () => {
    const config = JSON.parse(readFileSync('electron-builder.json', 'utf8')) as {
      asar: boolean;
      electronFuses: Record<string, boolean>;
    };
    expect(config.asar).toBe(true);
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });
});
