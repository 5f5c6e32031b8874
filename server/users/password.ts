import bcrypt from "bcryptjs";

// 10 rounds: ~70 ms per check on a small server, slow enough for stolen hashes,
// fast enough that signing in does not queue behind itself.
const ROUNDS = 10;

export const hashPassword = (password: string) => bcrypt.hash(password, ROUNDS);

export const verifyPassword = (password: string, hash: string) => bcrypt.compare(password, hash);

// Compared against when the email is unknown, so a wrong address takes as long as a wrong password.
export const DUMMY_HASH = "$2b$10$9GN0Qk0UNgN0wHZbgsNQIOpA4y2J.lCzcwtldppPd.lUF8VOTnvDK";
