// `?timeout=` is read as Go's time.ParseDuration reads it, both micro signs included.
import t from 'tap';
import { parseGoDuration } from '../webhook/server.js';

t.test("Go's duration syntax, in milliseconds", async (t) => {
  const cases: [string, number | undefined][] = [
    ['0', 0],
    ['+0', 0],
    ['-0', 0],
    ['00', undefined],
    ['10s', 10_000],
    ['1.5h', 5_400_000],
    ['-2m3s', -123_000],
    ['+.5s', 500],
    ['1.s', 1000],
    ['1ms2us', 1.002],
    ['3\u00b5s', 0.003],
    ['4\u03bcs', 0.004],
    ['7ns', 0.000007],
    ['', undefined],
    ['1', undefined],
    ['5 s', undefined],
    ['1d', undefined],
    ['us', undefined],
    // int64 nanoseconds, as Go keeps them: past about 292 years a duration is invalid.
    ['9223372036854775807ns', 9223372036854.775807],
    ['-9223372036854775808ns', -9223372036854.775808],
    ['2562047h', 2562047 * 3_600_000],
    ['9223372036854775808ns', undefined],
    ['2562048h', undefined],
    ['-2562048h', undefined],
  ];
  for (const [text, want] of cases) {
    const got = parseGoDuration(text);
    if (want === undefined) t.equal(got, undefined, JSON.stringify(text));
    else t.ok(got !== undefined && Math.abs(got - want) < 1e-9, `${JSON.stringify(text)}: ${got}`);
  }
});
