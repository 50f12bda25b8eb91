// Deepgram's JavaScript SDK, unmodified, sends one file to a dgtools server's pre-recorded API.
// usage: node prerecorded.cjs BASE_URL API_KEY AUDIO_FILE [MODEL] [KEYWORD...]
// Prints the SDK's result (or its error) as one JSON line.
const fs = require("fs");
const { createClient } = require("@deepgram/sdk");

async function main() {
  const [url, key, file, model, ...keywords] = process.argv.slice(2);
  const deepgram = createClient(key, { global: { url } });
  const options = {};
  if (model) options.model = model;
  if (keywords.length > 0) options.keywords = keywords;
  const { result, error } = await deepgram.listen.prerecorded.transcribeFile(fs.readFileSync(file), options);
  if (error) {
    console.log(JSON.stringify({ error: { name: error.name, message: error.message, status: error.status } }));
    return;
  }
  console.log(JSON.stringify(result));
}

main().catch((e) => {
  console.log(JSON.stringify({ error: { name: e.name, message: String(e.message) } }));
  process.exit(1);
});
