// Deepgram's JavaScript SDK, unmodified, streams a 16-bit PCM WAV file to a dgtools server's live API as linear16,
// CHUNK_MS of audio per message, one message every PACE_MS (PACE_MS = CHUNK_MS is real time), then CloseStream.
// usage: node live.cjs BASE_URL API_KEY WAV_FILE [CHUNK_MS] [PACE_MS] [MODEL]
// Prints one JSON line: the final transcript (finals joined), every Results message with the time it arrived, the
// Metadata message, and for each word the latency from the moment its audio (up to its end) was sent until it first
// appeared in an interim result and in a final one.
const fs = require("fs");
const { createClient, LiveTranscriptionEvents } = require("@deepgram/sdk");

function pcmOf(file) {
  const b = fs.readFileSync(file);
  if (b.toString("ascii", 0, 4) !== "RIFF" || b.toString("ascii", 8, 12) !== "WAVE") throw new Error("not a WAV file");
  let pos = 12, rate = 0, channels = 0, bits = 0;
  while (pos + 8 <= b.length) {
    const id = b.toString("ascii", pos, pos + 4), size = b.readUInt32LE(pos + 4);
    if (id === "fmt ") { channels = b.readUInt16LE(pos + 10); rate = b.readUInt32LE(pos + 12); bits = b.readUInt16LE(pos + 22); }
    if (id === "data") {
      if (bits !== 16) throw new Error("only 16-bit PCM WAV files");
      return { pcm: b.subarray(pos + 8, Math.min(b.length, pos + 8 + size)), rate, channels };
    }
    pos += 8 + size + (size & 1);
  }
  throw new Error("no data chunk");
}

async function main() {
  const [url, key, file, chunkArg, paceArg, model] = process.argv.slice(2);
  const chunkMs = Number(chunkArg || 100), paceMs = Number(paceArg || 10);
  const { pcm, rate, channels } = pcmOf(file);
  const deepgram = createClient(key, { global: { url } });
  const options = { encoding: "linear16", sample_rate: rate, channels, interim_results: true };
  if (model) options.model = model;
  const live = deepgram.listen.live(options);

  const start = Date.now();
  const sentAt = []; // [audio seconds sent so far, ms since start]
  const results = [];
  const firstSeen = new Map(); // word start time -> { interim, final } latencies
  let metadata = null, error = null;

  const sentTime = (audioSeconds) => {
    for (const [seconds, ms] of sentAt) if (seconds >= audioSeconds) return ms;
    return sentAt.length ? sentAt[sentAt.length - 1][1] : 0;
  };

  live.on(LiveTranscriptionEvents.Transcript, (data) => {
    const now = Date.now() - start;
    results.push({ at_ms: now, is_final: data.is_final, speech_final: data.speech_final, start: data.start, duration: data.duration,
      transcript: data.channel.alternatives[0].transcript });
    for (const w of data.channel.alternatives[0].words) {
      const k = `${w.word}@${Math.round(w.start * 10)}`;
      const entry = firstSeen.get(k) || {};
      const latency = now - sentTime(w.end);
      if (entry.interim === undefined) entry.interim = latency;
      if (data.is_final && entry.final === undefined) entry.final = latency;
      firstSeen.set(k, entry);
    }
  });
  live.on(LiveTranscriptionEvents.Metadata, (data) => { metadata = data; });
  live.on(LiveTranscriptionEvents.Error, (e) => { error = { message: String(e.message || e), ...(e.statusCode ? { status: e.statusCode } : {}) }; });
  live.on(LiveTranscriptionEvents.Close, () => {
    const finals = results.filter((r) => r.is_final);
    const latencies = [...firstSeen.values()];
    console.log(JSON.stringify({
      transcript: finals.map((r) => r.transcript).filter((t) => t.length > 0).join(" "),
      finals: finals.length,
      interims: results.length - finals.length,
      results, metadata, error,
      first_word_latency_ms: latencies.map((l) => l.interim),
      final_word_latency_ms: latencies.filter((l) => l.final !== undefined).map((l) => l.final),
    }));
  });

  live.on(LiveTranscriptionEvents.Open, async () => {
    const bytesPerChunk = Math.round((rate * channels * 2 * chunkMs) / 1000 / (2 * channels)) * 2 * channels;
    for (let at = 0; at < pcm.length; at += bytesPerChunk) {
      const piece = pcm.subarray(at, Math.min(pcm.length, at + bytesPerChunk));
      live.send(piece);
      sentAt.push([Math.min(pcm.length, at + bytesPerChunk) / (rate * channels * 2), Date.now() - start]);
      await new Promise((r) => setTimeout(r, paceMs));
    }
    live.requestClose();
  });
}

main().catch((e) => {
  console.log(JSON.stringify({ error: { message: String(e.message) } }));
  process.exit(1);
});
