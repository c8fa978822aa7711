import test from 'ava';
import { parseIpv4, parseIpv6, parseMac } from '../../src/native/addresses';

const hex = (a: Uint8Array | undefined): string | undefined => (a ? Buffer.from(a).toString('hex') : undefined);

test('MAC addresses', (t) => {
  t.is(hex(parseMac('00:11:22:aa:BB:ff')), '001122aabbff');
  t.is(hex(parseMac('00-11-22-aa-bb-ff')), '001122aabbff');
  for (const bad of ['', '00:11:22:aa:bb', '00:11:22:aa:bb:fg', '00:11-22:aa:bb:ff', '0011.22aa.bbff', '00:11:22:aa:bb:ff:']) {
    t.is(parseMac(bad), undefined, bad);
  }
});

test('IPv4 addresses', (t) => {
  t.is(hex(parseIpv4('192.168.1.2')), 'c0a80102');
  t.is(hex(parseIpv4('0.0.0.0')), '00000000');
  t.is(hex(parseIpv4('255.255.255.255')), 'ffffffff');
  for (const bad of ['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '1..2.3', '01.2.3.4', '1.2.3.4 ', 'a.b.c.d', '1.2.3.']) {
    t.is(parseIpv4(bad), undefined, bad);
  }
});

test('IPv6 addresses', (t) => {
  t.is(hex(parseIpv6('::')), '00'.repeat(16));
  t.is(hex(parseIpv6('::1')), '00'.repeat(15) + '01');
  t.is(hex(parseIpv6('2001:db8::1')), '20010db8' + '00'.repeat(11) + '01');
  t.is(hex(parseIpv6('fe80::')), 'fe80' + '00'.repeat(14));
  t.is(hex(parseIpv6('1:2:3:4:5:6:7:8')), '00010002000300040005000600070008');
  t.is(hex(parseIpv6('::ffff:192.0.2.1')), '00'.repeat(10) + 'ffffc0000201');
  t.is(hex(parseIpv6('FFFF:ffff::')), 'ffffffff' + '00'.repeat(12));
  for (const bad of ['', ':', '1::2::3', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '12345::', 'g::', '1:2:3:4:5:6:7::8', '::1.2.3']) {
    t.is(parseIpv6(bad), undefined, bad);
  }
});
