import type { UiStrings } from './en.js';

const plural = new Intl.PluralRules('es');

/** Spanish UI strings (neutral, for all regions). */
export const es: UiStrings = {
  dropzoneLabel: 'Archivos para convertir',
  dropHint: 'Arrastra archivos aquí o',
  chooseFiles: 'Seleccionar archivos',
  chooseFile: 'Seleccionar un archivo',
  fileListLabel: 'Archivos',
  filesAdded: (count: number) =>
    plural.select(count) === 'one' ? `${count} archivo añadido` : `${count} archivos añadidos`,
  status: {
    queued: 'En espera',
    authorizing: 'Autorizando',
    uploading: 'Subiendo',
    converting: 'Convirtiendo',
    done: 'Listo',
    error: 'Error',
    canceled: 'Cancelado',
  },
  uploadProgressLabel: (name: string) => `Subida de ${name}`,
  convertProgressLabel: (name: string) => `Conversión de ${name}`,
  resultsLabel: (name: string) => `Resultados de ${name}`,
  download: (name: string) => `Descargar ${name}`,
  previewOf: (name: string) => `Vista previa de ${name}`,
  expiresIn: (relativeTime: string) => `El enlace expira ${relativeTime}`,
  expired: 'Enlace expirado',
  progressOf: (sent: string, total: string) => `${sent} de ${total}`,
  timeLeft: (duration: string) => `quedan ${duration}`,
  open: 'Abrir',
  openFile: (name: string) => `Abrir ${name}`,
  batchLabel: 'Todos los archivos',
  summary: (done: number, total: number) => `${done} de ${total} listos`,
  failedCount: (count: number) => `${count} con error`,
  startFiles: (count: number) =>
    plural.select(count) === 'one' ? `Convertir ${count} archivo` : `Convertir ${count} archivos`,
  retryFailed: 'Reintentar los fallidos',
  cancelAll: 'Cancelar todo',
  clearFinished: 'Quitar los terminados',
  filesRemoved: (count: number) =>
    plural.select(count) === 'one' ? `${count} archivo quitado` : `${count} archivos quitados`,
  cancel: 'Cancelar',
  retry: 'Reintentar',
  remove: 'Quitar',
  cancelFile: (name: string) => `Cancelar ${name}`,
  retryFile: (name: string) => `Reintentar ${name}`,
  removeFile: (name: string) => `Quitar ${name}`,
  formatPickerLabel: 'Convertir a',
  convertAgainLabel: (name: string) => `Convertir ${name} a otro formato`,
  convertAgain: 'Convertir de nuevo',
  announcePhase: (name: string, status: string) => `${name}: ${status}`,
  rejectionsLabel: 'Archivos no añadidos',
  dismiss: 'Cerrar',
  rejected: {
    'file-too-large': (limit: string) => `Supera el límite de ${limit}.`,
    'file-type-not-accepted': () => 'No se acepta este tipo de archivo.',
    'too-many-files': (limit: string) => `No se admiten más de ${limit} archivos.`,
    'empty-file': () => 'El archivo está vacío.',
  },
  valueMissing: 'Añade un archivo y espera a que termine de convertirse.',
  stillConverting: 'Espera a que terminen las conversiones.',
  errors: {
    'token-endpoint-failed': 'No se pudo obtener permiso para convertir. Vuelve a intentarlo.',
    'token-provider-failed': 'No se pudo obtener permiso para convertir. Vuelve a intentarlo.',
    'token-rejected': 'Este sitio entregó una credencial que el componente de carga no acepta.',
    unauthorized: 'El servicio de conversión rechazó la credencial.',
    'upload-failed': 'No se pudo subir el archivo. Inténtalo de nuevo.',
    'conversion-failed':
      'No se pudo convertir el archivo. Inténtalo de nuevo o comprueba que el archivo se abre.',
    'conversion-unsupported':
      'Este archivo no se puede convertir al formato elegido. Elige otro formato u otro archivo.',
    'quota-exceeded': 'Se agotó la cuota de conversiones. Avisa al responsable del sitio.',
    'rate-limited': 'El servicio de conversión está saturado. Vuelve a intentarlo en unos momentos.',
    network: 'Falló la conexión de red. Compruébala e inténtalo de nuevo.',
    timeout: 'El servicio tardó demasiado en responder. Inténtalo de nuevo.',
    canceled: 'Cancelado.',
    'invalid-response':
      'El servicio de conversión envió una respuesta que el componente de carga no puede leer.',
  },
};
