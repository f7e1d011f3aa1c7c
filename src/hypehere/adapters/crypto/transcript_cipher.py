"""AES-GCM (256-bit key, 96-bit random nonce per entry) for the anonymous transcripts. An
entry is sealed as nonce + ciphertext-and-tag, bound to its conversation id (associated
data), so an entry moved to another conversation's transcript does not decrypt."""

from __future__ import annotations

import os

import msgspec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from hypehere.application.matching.transcript_ports import TranscriptEntry

NONCE_BYTES = 12


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def seal(key: bytes, conversation_id: str, entry: TranscriptEntry) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    plaintext = msgspec.json.encode(entry)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, conversation_id.encode())


def unseal(key: bytes, conversation_id: str, sealed: bytes) -> TranscriptEntry:
    nonce, ciphertext = sealed[:NONCE_BYTES], sealed[NONCE_BYTES:]
    plaintext = AESGCM(key).decrypt(nonce, ciphertext, conversation_id.encode())
    return msgspec.json.decode(plaintext, type=TranscriptEntry)
