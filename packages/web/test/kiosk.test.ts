/** 自助办: how a terminal is set up from its address, and kept. */
import { describe, expect, it } from 'vitest';
import { KIOSK_DEFAULT_IDLE_SECONDS, kioskSettingFrom } from '../src/shell/kiosk';

const off = { kiosk: false, idleSeconds: KIOSK_DEFAULT_IDLE_SECONDS };

describe('kioskSettingFrom', () => {
  it('turns the terminal into a kiosk with ?kiosk=1, with the idle time given or the default', () => {
    expect(kioskSettingFrom('?kiosk=1', off)).toEqual({ kiosk: true, idleSeconds: 120 });
    expect(kioskSettingFrom('?kiosk=1&idle=90', off)).toEqual({ kiosk: true, idleSeconds: 90 });
  });
  it('refuses idle times outside 5–3600 s or not whole seconds (the default instead)', () => {
    for (const idle of ['4', '3601', '12.5', 'abc', '']) expect(kioskSettingFrom(`?kiosk=1&idle=${idle}`, off).idleSeconds).toBe(120);
  });
  it('keeps the stored setting on addresses that do not say, and turns it off with ?kiosk=0', () => {
    const on = { kiosk: true, idleSeconds: 45 };
    expect(kioskSettingFrom('', on)).toEqual(on);
    expect(kioskSettingFrom('?next=/apply&idle=5', on)).toEqual(on);
    expect(kioskSettingFrom('?kiosk=0', on)).toEqual({ kiosk: false, idleSeconds: 45 });
  });
});
