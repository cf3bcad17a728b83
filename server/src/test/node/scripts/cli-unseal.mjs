// Unseals an approved `aigne hub connect` session's secret with @aigne/cli's own decrypt function, the code the
// CLI runs after polling the session (dist/utils/aigne-hub/crypto.js: PBKDF2-SHA512 passphrase + CryptoJS AES).
//
// Input: SEALED (accessKeySecret), ACCESS_KEY_ID, CHALLENGE. Output: {"result": {"secret": "…"}}.
import { decrypt } from "@aigne/cli/utils/aigne-hub/crypto.js";
import { env, report } from "./lib.mjs";

await report(async () => ({ secret: decrypt(env("SEALED"), env("ACCESS_KEY_ID"), env("CHALLENGE")) }));
