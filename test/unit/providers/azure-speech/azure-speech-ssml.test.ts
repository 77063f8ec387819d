import { describe, expect, it } from 'vitest';
import { buildSsml, escapeXml, isSsmlDocument, prosodyRate, withoutNonXmlCharacters } from '../../../../src/providers/azure-speech/azure-speech-ssml.js';
import { readSsml } from '../../../fakes/azure-speech/ssml.js';
import { parseXml } from '../../../fakes/azure-speech/xml.js';

describe('Azure SSML', () => {
  it('builds the document LiteLLM builds, with the voice locale on <speak>', () => {
    expect(buildSsml({ text: 'Hello', voice: 'de-DE-KatjaNeural', rate: '+25%' })).toBe(
      "<speak version='1.0' xmlns='http://www.w3.org/2001/10/synthesis' xml:lang='de-DE'><voice name='de-DE-KatjaNeural'><prosody rate='+25%'>Hello</prosody></voice></speak>",
    );
  });

  it('escapes the five XML specials', () => {
    expect(escapeXml(`a & b < c > d " e ' f`)).toBe('a &amp; b &lt; c &gt; d &quot; e &apos; f');
  });

  it('keeps an injection attempt as spoken text: one voice, one prosody, the text verbatim', () => {
    const attack = "</prosody></voice><voice name='en-US-GuyNeural'><prosody rate='+300%'>pwned</prosody></voice><!-- ]]> &amp; <![CDATA[x]]>";
    const ssml = buildSsml({ text: attack, voice: 'en-US-JennyNeural', rate: '+0%' });
    const read = readSsml(ssml);
    expect(read.voices).toHaveLength(1);
    expect(read.voices[0]).toMatchObject({ name: 'en-US-JennyNeural', rates: ['+0%'], text: attack });
  });

  it('escapes attribute values: a passed-through voice name, the config style', () => {
    const ssml = buildSsml({ text: 'Hi', voice: "en-US-AriaNeural' evil='1", rate: '+0%', style: "cheerful' role='x", lang: 'fr-FR' });
    const speak = parseXml(ssml);
    const voice = speak.children[0];
    expect(typeof voice === 'object' && voice.attributes).toEqual({ name: "en-US-AriaNeural' evil='1", 'xml:lang': 'fr-FR' });
  });

  it('adds mstts:express-as with style, styledegree and role, declaring the namespace', () => {
    const ssml = buildSsml({ text: 'Yay', voice: 'en-US-JennyNeural', rate: '+0%', style: 'cheerful', styleDegree: '1.5', role: 'Girl' });
    expect(ssml).toContain("xmlns:mstts='https://www.w3.org/2001/mstts'");
    expect(ssml).toContain("<mstts:express-as style='cheerful' styledegree='1.5' role='Girl'><prosody rate='+0%'>Yay</prosody></mstts:express-as>");
    expect(readSsml(ssml).voices[0]?.expressAs).toEqual({ style: 'cheerful', styledegree: '1.5', role: 'Girl' });
  });

  it.each([
    [1, '+0%'],
    [1.25, '+25%'],
    [2, '+100%'],
    [0.5, '-50%'],
    // (0.9 - 1) * 100 is -9.999…: rounded, not truncated to -9% as LiteLLM's int() does.
    [0.9, '-10%'],
    [1.1, '+10%'],
  ])('turns speed %d into rate %s', (speed, rate) => {
    expect(prosodyRate(speed)).toBe(rate);
  });

  it.each([
    ['<speak version="1.0">hi</speak>', true],
    ['  \n<speak>hi</speak>', true],
    ['<?xml version="1.0"?><speak version="1.0">hi</speak>', true],
    ['Please say <speak> out loud', false],
    ['<speaker>not ssml</speaker>', false],
    ['plain text', false],
  ])('treats %j as an SSML document: %s', (input, expected) => {
    expect(isSsmlDocument(input)).toBe(expected);
  });

  it('removes characters XML cannot carry and counts them', () => {
    expect(withoutNonXmlCharacters('a\u0000b\u0007c\td\ne\uD800f\u{1F600}')).toEqual({ text: 'abc\td\nef\u{1F600}', removed: 3 });
  });
});
