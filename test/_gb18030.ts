// GB18030 bytes for the import tests (what Excel and WPS write on Chinese Windows), from iconv-lite: an encoder
// independent of the runtime's TextDecoder the imports decode with. The tests' known-answer bytes pin it too.
import iconv from 'iconv-lite'

export const gb18030 = (text: string): Uint8Array => new Uint8Array(iconv.encode(text, 'gb18030'))
