/**
 * Word in: a draft from a ministry becomes the card's answer (replacing it, or after it), its
 * tracked changes suggestions by their Word authors and its comments threads; on the deck, one
 * card per question heading. The server checks the file and the role; a file it cannot read
 * changes nothing and the message says why.
 */
import type { ImportMode } from '@kartu/protocol'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError, importDeckFromWord, importIntoCard } from '../app/api.ts'
import { queryKeys } from '../app/queryKeys.ts'

const ACCEPT = '.docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document'

/** The server's refusals that have words of their own in the person's language. */
const KNOWN_REFUSALS = new Set([
  'not_a_zip',
  'not_docx',
  'invalid_xml',
  'empty_document',
  'too_large',
  'no_questions',
  'card_locked',
])

/** Why an import failed, in the person's language where the server's code is known. */
function useFailure(): (error: Error) => string {
  const { t } = useTranslation()
  return (error) => {
    const reason =
      error instanceof ApiError && KNOWN_REFUSALS.has(error.code)
        ? t(`import.refusal.${error.code as 'not_a_zip'}`)
        : error.message
    return t('import.failed', { message: reason })
  }
}

/**
 * One Word upload and what the form says of it: `done` words the result; a refusal is said in
 * the person's language where the server's code is known.
 */
function useWordUpload<T>(send: (file: File) => Promise<T>, done: (result: T) => string) {
  const failure = useFailure()
  const [status, setStatus] = useState<string | null>(null)
  const upload = useMutation({
    mutationFn: send,
    onSuccess: (result) => setStatus(done(result)),
    onError: (error) => setStatus(failure(error)),
  })
  return { upload, status }
}

export function CardImportForm({ cardId }: { cardId: string }) {
  const { t } = useTranslation()
  const fileId = useId()
  const queryClient = useQueryClient()
  const [file, setFile] = useState<File | null>(null)
  const [mode, setMode] = useState<ImportMode>('append')
  const { upload, status } = useWordUpload(
    (chosen) => importIntoCard(cardId, chosen, mode),
    (result) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.card(cardId) })
      return t('import.cardDone', result)
    },
  )
  return (
    <details className="export-menu" data-testid="card-import">
      <summary className="button">{t('import.menu')}</summary>
      <form
        className="export-menu__panel import-form"
        onSubmit={(event) => {
          event.preventDefault()
          if (file && !upload.isPending) upload.mutate(file)
        }}
      >
        <label htmlFor={fileId}>{t('import.file')}</label>
        <input
          id={fileId}
          type="file"
          accept={ACCEPT}
          onChange={(event) => setFile(event.target.files?.[0] ?? null)}
          data-testid="card-import-file"
        />
        <fieldset className="import-form__mode">
          <legend>{t('import.mode')}</legend>
          {(['append', 'replace'] as const).map((choice) => (
            <label key={choice}>
              <input
                type="radio"
                name={`${fileId}-mode`}
                value={choice}
                checked={mode === choice}
                onChange={() => setMode(choice)}
                data-testid={`card-import-${choice}`}
              />{' '}
              {t(`import.${choice}`)}
            </label>
          ))}
        </fieldset>
        <button
          type="submit"
          className="button"
          disabled={!file || upload.isPending}
          data-testid="card-import-submit"
        >
          {upload.isPending ? t('import.importing') : t('import.submit')}
        </button>
        <p role="status" data-testid="card-import-status">
          {status}
        </p>
      </form>
    </details>
  )
}

export function DeckImportForm({ deckId }: { deckId: string }) {
  const { t } = useTranslation()
  const fileId = useId()
  const queryClient = useQueryClient()
  const [file, setFile] = useState<File | null>(null)
  const { upload, status } = useWordUpload(
    (chosen) => importDeckFromWord(deckId, chosen),
    (result) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.cards(deckId) })
      return t('import.deckDone', { count: result.cardIds.length })
    },
  )
  return (
    <details className="export-menu" data-testid="deck-import">
      <summary className="button">{t('import.deckMenu')}</summary>
      <form
        className="export-menu__panel import-form"
        onSubmit={(event) => {
          event.preventDefault()
          if (file && !upload.isPending) upload.mutate(file)
        }}
      >
        <p className="import-form__hint">{t('import.deckHint')}</p>
        <label htmlFor={fileId}>{t('import.file')}</label>
        <input
          id={fileId}
          type="file"
          accept={ACCEPT}
          onChange={(event) => setFile(event.target.files?.[0] ?? null)}
          data-testid="deck-import-file"
        />
        <button
          type="submit"
          className="button"
          disabled={!file || upload.isPending}
          data-testid="deck-import-submit"
        >
          {upload.isPending ? t('import.importing') : t('import.submit')}
        </button>
        <p role="status" data-testid="deck-import-status">
          {status}
        </p>
      </form>
    </details>
  )
}
