import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';

import { api } from '../client';
import { refusal } from '../errors';

// The page of the link mailed to a new address: the address becomes the account's once the API
// takes the link's uid and token.
export function VerifyEmail() {
  const { uid = '', token = '' } = useParams();
  const [outcome, setOutcome] = useState<{ done: boolean; message: string } | null>(null);
  const sent = useRef(false);

  useEffect(() => {
    // Once: a link works once, and React's development mode runs effects twice.
    if (sent.current) return;
    sent.current = true;
    api.verifyEmail({ uid, token }).then(
      () => setOutcome({ done: true, message: 'Your email address is verified.' }),
      (error: unknown) => {
        const { code, detail } = refusal(error);
        const message =
          code === 'token_expired'
            ? 'This link has expired. Change the email again for a new one.'
            : code === 'invalid_token'
              ? 'This link is not valid: it was used already, or a newer change replaced it.'
              : detail;
        setOutcome({ done: false, message });
      },
    );
  }, [uid, token]);

  return (
    <main>
      <h1>Verify your email</h1>
      {outcome ? (
        <p role={outcome.done ? 'status' : 'alert'}>{outcome.message}</p>
      ) : (
        <p role="status">Verifying your address…</p>
      )}
      <p>
        <Link to="/account">Back to your account</Link>
      </p>
    </main>
  );
}
