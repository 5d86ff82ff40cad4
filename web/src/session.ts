// The API key of this browser tab: typed once at sign-in and kept in sessionStorage only (never in a URL,
// never logged); or the first-start ADMIN key that `sverka serve` put into the page on a loopback listener.

const KEY = 'sverka.key'
const SIGNED_OUT = 'sverka.signedOut'
/** The element src/http/console.ts writes the boot key into. */
const BOOT_ELEMENT_ID = 'sverka-boot'

export function storedKey(): string | null {
  const key = sessionStorage.getItem(KEY)
  if (key) return key
  // the boot key signs in once per tab; after «Выйти» the tab asks for a key like any other
  if (sessionStorage.getItem(SIGNED_OUT)) return null
  return bootKey()
}

export function keepKey(key: string): void {
  sessionStorage.setItem(KEY, key)
  sessionStorage.removeItem(SIGNED_OUT)
}

export function forgetKey(): void {
  sessionStorage.removeItem(KEY)
  sessionStorage.setItem(SIGNED_OUT, '1')
}

function bootKey(): string | null {
  const element = document.getElementById(BOOT_ELEMENT_ID)
  if (!element?.textContent) return null
  try {
    const { key } = JSON.parse(element.textContent) as { key?: unknown }
    return typeof key === 'string' && key ? key : null
  } catch {
    return null
  }
}
