// The try-on WebSocket (docs/tryon-websocket.md): reconnects after a drop and resumes from the last seq seen.
import { config, token, refresh, signOutLocally } from "./api.js";

const SEQ_KEY = "wearit.lastSeq";
let socket = null;
let listeners = new Set();
let retryDelay = 1000;
let pending = [];

export function onEvent(listener) { listeners.add(listener); return () => listeners.delete(listener); }

export function send(message) {
  if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  else { pending.push(message); connect(); }
}

export async function connect() {
  if (socket && socket.readyState <= WebSocket.OPEN) return;
  if (!token()) return;
  const { tryonWebSocketUrl } = await config();
  // The last seq seen goes in the URL, so the server replays what was missed before sending anything live.
  const lastSeq = Number(sessionStorage.getItem(SEQ_KEY) ?? "-1");
  socket = new WebSocket(`${tryonWebSocketUrl}?access_token=${encodeURIComponent(token())}${lastSeq >= 0 ? `&lastSeq=${lastSeq}` : ""}`);
  socket.onopen = () => {
    retryDelay = 1000;
    for (const message of pending.splice(0)) socket.send(JSON.stringify(message));
  };
  socket.onmessage = (event) => {
    const message = JSON.parse(event.data);
    if (typeof message.seq === "number") {
      if (message.seq <= Number(sessionStorage.getItem(SEQ_KEY) ?? "-1")) return; // seen already
      sessionStorage.setItem(SEQ_KEY, String(message.seq));
    }
    for (const listener of listeners) listener(message);
  };
  socket.onclose = async (event) => {
    socket = null;
    if (!token()) return;
    if (event.code === 4401) {
      // An ended session's refresh token is revoked with it (logout elsewhere, account deletion): only an expired
      // access token is worth a refresh.
      if (event.reason === "session_ended") { signOutLocally(); return; }
      if (!(await refresh())) return;
    }
    setTimeout(connect, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 15000);
  };
}

/** Signing out: close, and forget the seq seen (seqs count per user; the next user starts afresh). */
export function disconnect() { const current = socket; socket = null; sessionStorage.removeItem(SEQ_KEY); current?.close(1000, "bye"); }
