import { AppError } from '../core/errors.js';

/**
 * What a failed listen on PORT means to the person starting the bot: the bare "listen EADDRINUSE: address already
 * in use 0.0.0.0:3000" names neither the variable nor what to do. Any other error is returned as it is.
 */
export function portError(error: unknown, port: number): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code ?? '';
  const text = error instanceof Error ? error.message : String(error);
  if (code === 'EADDRINUSE' || text.includes('EADDRINUSE'))
    return new AppError(
      'config_invalid',
      `PORT: port ${port} is already in use (another CivicDesk still running, or another program): stop it, or start on a free port, e.g. PORT=${port === 3000 ? 3001 : 3000} npm start.`,
    );
  if (code === 'EACCES' || text.includes('EACCES'))
    return new AppError(
      'config_invalid',
      `PORT: port ${port} may not be opened by this user (ports below 1024 need privileges): set PORT to 1024 or above, e.g. PORT=3000, and put a reverse proxy in front.`,
    );
  return error;
}
