/**
 * tree-sitter-go parses every call of `make` and `new` as the builtin's, whose first argument is a type. Go lets a
 * program declare its own `make` or `new` (a local variable, a parameter, a package function), and a call such as
 * `make(n - 1)` then gets false syntax errors (GOROOT/src/encoding/json/v2/arshal_test.go had 8).
 *
 * `respellValueCalls` renames, keeping every position, each `make`/`new` whose first argument cannot be a type —
 * it starts with a literal, an operator or `)`, or is a name followed by an operator or a call — to `makE`/`neW`,
 * which the grammar parses as an ordinary call. Such a call is never the builtin's (that would not compile), so
 * nothing a valid program means is lost; the parser uses the respelt text only where it has fewer errors.
 */
export function respellValueCalls(text: string): string {
  return text.replace(VALUE_CALL, (_match, name: string, rest: string) => `${name === 'make' ? 'makE' : 'neW'}${rest}`);
}

/** Whether a text has a call of `make`/`new` that respellValueCalls would change. */
export function hasValueCalls(text: string): boolean {
  VALUE_CALL.lastIndex = 0;
  return VALUE_CALL.test(text);
}

// `make(` / `new(` not preceded by `.` or an identifier character, then a first argument that no type starts
// like: a digit, a quote, a unary operator but `*` (and `<-` but of `<-chan`), `)`, or a (qualified) name that is not a type keyword
// followed by an operator, `(` or `{` (Go 1.26's `new(T{…})`).
const VALUE_CALL = new RegExp(
  '(?<![\\w.])(make|new)(\\s*\\((?=\\s*(?:[0-9\'"`\\-+!&^)]|<-(?!\\s*chan\\b)|(?!(?:chan|map|func|struct|interface)\\b)' +
  '[A-Za-z_]\\w*(?:\\.[A-Za-z_]\\w*)?\\s*(?:[-+*/%&|^<>=!({]))))', 'g');
