/**
 * A script for page.evaluate: the text a user reads in the element `selector`, less code (Keras lines, commands,
 * paths, Keras' summary notation), measured on a copy laid out beside it (innerText needs a rendered element).
 */
export function textOutsideCode(selector: string): string {
  return `(() => {
    const element = document.querySelector(${JSON.stringify(selector)});
    const copy = element.cloneNode(true);
    copy.querySelectorAll('[data-code], code, pre, kbd, script, style, [hidden]').forEach((code) => code.remove());
    copy.style.position = 'absolute';
    copy.style.left = '-10000px';
    document.body.append(copy);
    const text = copy.innerText;
    copy.remove();
    return text;
  })()`;
}
