import type { UiStrings } from './en.js';

const plural = new Intl.PluralRules('de');

/** German UI strings. */
export const de: UiStrings = {
  dropzoneLabel: 'Zu konvertierende Dateien',
  dropHint: 'Dateien hierher ziehen oder',
  chooseFiles: 'Dateien auswählen',
  chooseFile: 'Datei auswählen',
  fileListLabel: 'Dateien',
  filesAdded: (count: number) =>
    plural.select(count) === 'one' ? `${count} Datei hinzugefügt` : `${count} Dateien hinzugefügt`,
  status: {
    queued: 'Wartet',
    authorizing: 'Wird autorisiert',
    uploading: 'Wird hochgeladen',
    converting: 'Wird konvertiert',
    done: 'Fertig',
    error: 'Fehlgeschlagen',
    canceled: 'Abgebrochen',
  },
  uploadProgressLabel: (name: string) => `Hochladen von ${name}`,
  convertProgressLabel: (name: string) => `Konvertierung von ${name}`,
  resultsLabel: (name: string) => `Ergebnisse für ${name}`,
  download: (name: string) => `${name} herunterladen`,
  previewOf: (name: string) => `Vorschau von ${name}`,
  expiresIn: (relativeTime: string) => `Link läuft ${relativeTime} ab`,
  expired: 'Link abgelaufen',
  progressOf: (sent: string, total: string) => `${sent} von ${total}`,
  timeLeft: (duration: string) => `noch ${duration}`,
  open: 'Öffnen',
  openFile: (name: string) => `${name} öffnen`,
  batchLabel: 'Alle Dateien',
  summary: (done: number, total: number) => `${done} von ${total} fertig`,
  failedCount: (count: number) => `${count} fehlgeschlagen`,
  startFiles: (count: number) =>
    plural.select(count) === 'one' ? `${count} Datei konvertieren` : `${count} Dateien konvertieren`,
  retryFailed: 'Fehlgeschlagene wiederholen',
  cancelAll: 'Alle abbrechen',
  clearFinished: 'Erledigte entfernen',
  filesRemoved: (count: number) =>
    plural.select(count) === 'one' ? `${count} Datei entfernt` : `${count} Dateien entfernt`,
  cancel: 'Abbrechen',
  retry: 'Erneut versuchen',
  remove: 'Entfernen',
  cancelFile: (name: string) => `${name} abbrechen`,
  retryFile: (name: string) => `${name} erneut versuchen`,
  removeFile: (name: string) => `${name} entfernen`,
  formatPickerLabel: 'Konvertieren in',
  convertAgainLabel: (name: string) => `${name} in ein anderes Format konvertieren`,
  convertAgain: 'Erneut konvertieren',
  announcePhase: (name: string, status: string) => `${name}: ${status}`,
  rejectionsLabel: 'Nicht hinzugefügte Dateien',
  dismiss: 'Schließen',
  rejected: {
    'file-too-large': (limit: string) => `Größer als ${limit}.`,
    'file-type-not-accepted': () => 'Dieser Dateityp wird nicht akzeptiert.',
    'too-many-files': (limit: string) => `Höchstens ${limit} Dateien.`,
    'empty-file': () => 'Die Datei ist leer.',
  },
  valueMissing: 'Bitte eine Datei hinzufügen und warten, bis sie konvertiert ist.',
  stillConverting: 'Bitte warten, bis die Konvertierungen abgeschlossen sind.',
  errors: {
    'token-endpoint-failed':
      'Die Berechtigung zum Konvertieren konnte nicht eingeholt werden. Bitte erneut versuchen.',
    'token-provider-failed':
      'Die Berechtigung zum Konvertieren konnte nicht eingeholt werden. Bitte erneut versuchen.',
    'token-rejected': 'Diese Website hat Zugangsdaten ausgegeben, die der Uploader nicht akzeptiert.',
    unauthorized: 'Der Konvertierungsdienst hat die Zugangsdaten abgelehnt.',
    'upload-failed': 'Das Hochladen ist fehlgeschlagen. Bitte erneut versuchen.',
    'conversion-failed':
      'Die Konvertierung ist fehlgeschlagen. Bitte erneut versuchen oder prüfen, ob sich die Datei öffnen lässt.',
    'conversion-unsupported':
      'Diese Datei kann nicht in das gewählte Format konvertiert werden. Bitte ein anderes Format oder eine andere Datei wählen.',
    'quota-exceeded':
      'Das Konvertierungskontingent ist aufgebraucht. Bitte den Betreiber der Website informieren.',
    'rate-limited': 'Der Konvertierungsdienst ist ausgelastet. Bitte gleich noch einmal versuchen.',
    network: 'Die Netzwerkverbindung ist fehlgeschlagen. Bitte die Verbindung prüfen und erneut versuchen.',
    timeout: 'Der Dienst hat nicht rechtzeitig geantwortet. Bitte erneut versuchen.',
    canceled: 'Abgebrochen.',
    'invalid-response':
      'Der Konvertierungsdienst hat eine Antwort gesendet, die der Uploader nicht lesen kann.',
  },
};
