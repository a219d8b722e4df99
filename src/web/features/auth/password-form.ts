/** A new password typed twice, as the set-up and reset links ask for it. */
import { z } from 'zod';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../../app/accounts/accounts-service.ts';

export const newPasswordFields = {
  password: z
    .string()
    .min(PASSWORD_MIN_LENGTH, `Password must be ${PASSWORD_MIN_LENGTH} characters or more`)
    .max(PASSWORD_MAX_LENGTH, `Password must be ${PASSWORD_MAX_LENGTH} characters or fewer`),
  confirmPassword: z.string(),
};

/** For `.refine`: the second password is the first typed again. */
export const passwordsMatch = (f: { password: string; confirmPassword: string }) => f.password === f.confirmPassword;
export const PASSWORDS_DIFFER = { message: 'The passwords do not match', path: ['confirmPassword'] };
