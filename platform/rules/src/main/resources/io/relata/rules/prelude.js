// Runs once in every rule Context before any rule script. It removes what a rule must not see, freezes
// every built-in object (so no rule can change what the next one sees) and returns the function the engine
// calls each rule through. Rules never see host objects: values travel as JSON text and arrive as frozen
// plain JavaScript objects.
(function () {
  'use strict';
  const parse = JSON.parse;
  const freeze = Object.freeze;
  const ownKeys = Reflect.ownKeys;
  const getPrototypeOf = Object.getPrototypeOf;
  const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
  const defineProperty = Object.defineProperty;
  const dateUtc = Date.UTC;
  const NativeDate = Date;
  const NativeTypeError = TypeError;
  const NativePromise = Promise;
  const NativeString = String;
  const NativeNumber = Number;
  const floor = Math.floor;
  const trunc = Math.trunc;
  const isFinite = Number.isFinite;
  const dayMillis = 86400000;
  const datePattern = /^(\d{4})-(\d{2})-(\d{2})/;

  // Non-standard and asynchronous globals (host access shims, shared memory, callbacks after GC) and binary
  // buffers (one call could allocate gigabytes; the community edition has no heap limit).
  const removed = ['ArrayBuffer', 'DataView', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array',
    'Uint16Array', 'Int32Array', 'Uint32Array', 'Float16Array', 'Float32Array', 'Float64Array', 'BigInt64Array',
    'BigUint64Array','Java', 'Packages', 'java', 'javax', 'javafx', 'com', 'org', 'edu', 'net', 'arguments',
    'Polyglot', 'Graal', 'print', 'printErr', 'console', 'load', 'loadWithNewGlobal', 'quit', 'exit', 'read',
    'readbuffer', 'readline', 'SharedArrayBuffer', 'Atomics', 'WeakRef', 'FinalizationRegistry'];
  for (let i = 0; i < removed.length; i++) {
    delete globalThis[removed[i]];
  }

  // Freezing a prototype makes "obj.toString = ..." fail on every object that inherits it (the "override
  // mistake"); these few common properties become accessors that define an own property instead.
  const tame = (target, key) => {
    const d = getOwnPropertyDescriptor(target, key);
    if (!d || !('value' in d)) {
      return;
    }
    const value = d.value;
    defineProperty(target, key, {
      get: function () { return value; },
      set: function (v) {
        if (this === target) {
          throw new NativeTypeError('Cannot assign to read only property \'' + NativeString(key) + '\'');
        }
        defineProperty(this, key, { value: v, writable: true, enumerable: true, configurable: true });
      },
      enumerable: d.enumerable,
      configurable: false
    });
  };
  ['toString', 'valueOf', 'constructor', 'toLocaleString', 'hasOwnProperty'].forEach(k => tame(Object.prototype, k));
  ['name', 'message', 'toString', 'constructor'].forEach(k => tame(Error.prototype, k));

  // One call of these could allocate a gigabyte before the deadline is checked: cap their results.
  const maxString = 16777216;
  const apply = Reflect.apply;
  const NativeRangeError = RangeError;
  const tooLong = () => new NativeRangeError('Invalid string length: a rule may build strings of up to '
    + maxString + ' characters');
  const nativeRepeat = String.prototype.repeat;
  const nativePadStart = String.prototype.padStart;
  const nativePadEnd = String.prototype.padEnd;
  defineProperty(String.prototype, 'repeat', { value: function repeat(count) {
    if (NativeString(this).length * NativeNumber(count) > maxString) {
      throw tooLong();
    }
    return apply(nativeRepeat, this, [count]);
  }, writable: true, enumerable: false, configurable: true });
  defineProperty(String.prototype, 'padStart', { value: function padStart(length, fill) {
    if (NativeNumber(length) > maxString) {
      throw tooLong();
    }
    return apply(nativePadStart, this, [length, fill]);
  }, writable: true, enumerable: false, configurable: true });
  defineProperty(String.prototype, 'padEnd', { value: function padEnd(length, fill) {
    if (NativeNumber(length) > maxString) {
      throw tooLong();
    }
    return apply(nativePadEnd, this, [length, fill]);
  }, writable: true, enumerable: false, configurable: true });

  const seen = new Set();
  const harden = o => {
    if (o === null || (typeof o !== 'object' && typeof o !== 'function') || seen.has(o)) {
      return;
    }
    seen.add(o);
    freeze(o);
    harden(getPrototypeOf(o));
    const keys = ownKeys(o);
    for (let i = 0; i < keys.length; i++) {
      const d = getOwnPropertyDescriptor(o, keys[i]);
      if ('value' in d) {
        harden(d.value);
      } else {
        harden(d.get);
        harden(d.set);
      }
    }
  };
  harden(globalThis);

  const deepFreeze = v => {
    if (v !== null && typeof v === 'object') {
      const keys = ownKeys(v);
      for (let i = 0; i < keys.length; i++) {
        deepFreeze(v[keys[i]]);
      }
      freeze(v);
    }
    return v;
  };
  const toJs = json => json === null || json === undefined ? null : deepFreeze(parse(json));

  const dayNumber = (s, what) => {
    const m = typeof s === 'string' ? datePattern.exec(s) : null;
    if (m === null) {
      throw new NativeTypeError(what + ' expects a date like \'2025-01-31\' but got ' + NativeString(s));
    }
    return floor(dateUtc(NativeNumber(m[1]), NativeNumber(m[2]) - 1, NativeNumber(m[3])) / dayMillis);
  };
  const addDays = freeze((date, days) => {
    if (typeof days !== 'number' || !isFinite(days)) {
      throw new NativeTypeError('addDays expects a number of days but got ' + NativeString(days));
    }
    return new NativeDate((dayNumber(date, 'addDays') + trunc(days)) * dayMillis).toISOString().substring(0, 10);
  });
  const daysBetween = freeze((from, to) => dayNumber(to, 'daysBetween') - dayNumber(from, 'daysBetween'));

  // Warm-up: the first use of dates, number formatting, collation and regular expressions loads data
  // (time zones, ICU) that would otherwise count against the first rule's deadline.
  addDays('2025-01-31', 1);
  daysBetween('2025-01-31', '2025-02-01');
  [new NativeDate(0).getFullYear(), NativeString(new NativeDate(0)), new NativeDate(0).toLocaleDateString(),
    (1234.5).toFixed(2), (1234.5).toLocaleString(), 'a'.localeCompare('b'), 'Ab'.toUpperCase().toLowerCase(),
    /^[a-z]+@(\w+)$/i.test('a@b'), 'a,b'.split(','), JSON.stringify({ a: [1] }), parse('{"a":1}')];

  // The engine calls every rule through this function: rule(record, previous, user, today, lookup, addDays, daysBetween).
  return freeze((rule, recordJson, previousJson, userJson, today, hostLookup) => {
    const lookup = freeze((entity, id) => toJs(hostLookup(NativeString(entity), NativeNumber(id))));
    const result = rule(toJs(recordJson), toJs(previousJson), toJs(userJson), today, lookup, addDays, daysBetween);
    if (result instanceof NativePromise) {
      throw new NativeTypeError('a rule must return its result, not a Promise (async functions are not supported)');
    }
    return result;
  });
})()
