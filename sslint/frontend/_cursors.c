/* The cursor reads the front end makes most, in C: a cursor's children, its
 * extent's lines and columns, its spelling, what it references, a call's arguments,
 * its hash, its type's spelling and kind, and a translation unit's function
 * definitions (among thousands of header declarations). Through the Python
 * bindings each costs several ctypes calls and objects (children: a ctypes
 * callback per child, two Cursor objects built for it); here each is one call.
 * Optional: sslint/frontend/clangx.py falls back to the bindings when this module
 * is not built or init() refuses.
 *
 * libclang is not linked: init() takes the addresses of its functions from the
 * library clang.cindex loaded (ctypes), so both use the same one. The structs below
 * are libclang's stable C ABI (clang-c/Index.h); init() checks their sizes against
 * the bindings' own. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

typedef struct { int kind; int xdata; const void *data[3]; } Cursor;
typedef struct { const void *ptr_data[2]; unsigned int_data; } Location;
typedef struct { const void *ptr_data[2]; unsigned begin, end; } Range;
typedef struct { int kind; void *data[2]; } Type;
typedef struct { const void *data; unsigned private_flags; } String;
typedef int (*Visitor)(Cursor, Cursor, void *);

/* In the order of clangx._C_FUNCTIONS. */
static unsigned (*visit_children)(Cursor, Visitor, void *);
static Range (*cursor_extent)(Cursor);
static Location (*range_start)(Range);
static Location (*range_end)(Range);
static void (*instantiation)(Location, void **, unsigned *, unsigned *, unsigned *);
static unsigned (*is_definition)(Cursor);
static Location (*cursor_location)(Cursor);
static int (*in_system_header)(Location);
static String (*cursor_spelling)(Cursor);
static Cursor (*cursor_referenced)(Cursor);
static int (*cursor_is_null)(Cursor);
static int (*num_arguments)(Cursor);
static Cursor (*argument)(Cursor, unsigned);
static Type (*cursor_type_of)(Cursor);
static String (*type_spelling_of)(Type);
static const char *(*c_string)(String);
static void (*dispose_string)(String);
typedef void (*InclusionVisitor)(void *, Location *, unsigned, void *);
static void (*get_inclusions)(void *, InclusionVisitor, void *);
static String (*file_name)(void *);
static unsigned (*hash_cursor)(Cursor);
static Type (*canonical_type)(Type);
#define N_FUNCTIONS 21

static PyObject *cursor_type; /* clang.cindex.Cursor */
static PyObject *tu_name;     /* "_tu" */

static int read_cursor(PyObject *obj, Cursor *out) {
    Py_buffer view;
    /* Only the bindings' Cursor: any other 32 bytes would reach libclang as one.
     * init() sets the type last, so no function is called before it ran. */
    int is_cursor = cursor_type ? PyObject_IsInstance(obj, cursor_type) : 0;
    if (is_cursor < 0)
        return -1;
    if (!is_cursor) {
        PyErr_SetString(PyExc_TypeError, cursor_type ? "not a libclang cursor"
                                                     : "_cursors.init() was not called");
        return -1;
    }
    if (PyObject_GetBuffer(obj, &view, PyBUF_SIMPLE) < 0)
        return -1;
    int ok = view.len == (Py_ssize_t)sizeof(Cursor);
    if (ok)
        memcpy(out, view.buf, sizeof(Cursor));
    PyBuffer_Release(&view);
    if (!ok) {
        PyErr_SetString(PyExc_TypeError, "not a libclang cursor");
        return -1;
    }
    return 0;
}

static PyObject *init(PyObject *self, PyObject *args) {
    PyObject *addresses, *type;
    Py_ssize_t cursor_size, range_size, location_size, type_size, string_size;
    if (!PyArg_ParseTuple(args, "O!Onnnnn", &PyTuple_Type, &addresses, &type, &cursor_size,
                          &range_size, &location_size, &type_size, &string_size))
        return NULL;
    if (PyTuple_GET_SIZE(addresses) != N_FUNCTIONS
        || cursor_size != (Py_ssize_t)sizeof(Cursor) || range_size != (Py_ssize_t)sizeof(Range)
        || location_size != (Py_ssize_t)sizeof(Location) || type_size != (Py_ssize_t)sizeof(Type)
        || string_size != (Py_ssize_t)sizeof(String))
        Py_RETURN_FALSE;
    if (!tu_name && !(tu_name = PyUnicode_InternFromString("_tu")))
        return NULL;
    void *f[N_FUNCTIONS];
    for (Py_ssize_t i = 0; i < N_FUNCTIONS; i++) {
        f[i] = PyLong_AsVoidPtr(PyTuple_GET_ITEM(addresses, i));
        if (PyErr_Occurred())
            return NULL;
        if (!f[i])
            Py_RETURN_FALSE;
    }
    int i = 0;
    visit_children = (unsigned (*)(Cursor, Visitor, void *))f[i++];
    cursor_extent = (Range (*)(Cursor))f[i++];
    range_start = (Location (*)(Range))f[i++];
    range_end = (Location (*)(Range))f[i++];
    instantiation = (void (*)(Location, void **, unsigned *, unsigned *, unsigned *))f[i++];
    is_definition = (unsigned (*)(Cursor))f[i++];
    cursor_location = (Location (*)(Cursor))f[i++];
    in_system_header = (int (*)(Location))f[i++];
    cursor_spelling = (String (*)(Cursor))f[i++];
    cursor_referenced = (Cursor (*)(Cursor))f[i++];
    cursor_is_null = (int (*)(Cursor))f[i++];
    num_arguments = (int (*)(Cursor))f[i++];
    argument = (Cursor (*)(Cursor, unsigned))f[i++];
    cursor_type_of = (Type (*)(Cursor))f[i++];
    type_spelling_of = (String (*)(Type))f[i++];
    c_string = (const char *(*)(String))f[i++];
    dispose_string = (void (*)(String))f[i++];
    get_inclusions = (void (*)(void *, InclusionVisitor, void *))f[i++];
    file_name = (String (*)(void *))f[i++];
    hash_cursor = (unsigned (*)(Cursor))f[i++];
    canonical_type = (Type (*)(Type))f[i++];
    Py_INCREF(type);
    Py_XSETREF(cursor_type, type);
    Py_RETURN_TRUE;
}

/* A new bindings Cursor holding `c`, keeping `tu` alive as the bindings' do. */
static PyObject *new_cursor(Cursor c, PyObject *tu) {
    PyObject *obj = PyObject_CallNoArgs(cursor_type);
    if (!obj)
        return NULL;
    Py_buffer view;
    if (PyObject_GetBuffer(obj, &view, PyBUF_WRITABLE) < 0) {
        Py_DECREF(obj);
        return NULL;
    }
    memcpy(view.buf, &c, sizeof(Cursor));
    PyBuffer_Release(&view);
    if (PyObject_SetAttr(obj, tu_name, tu) < 0) {
        Py_DECREF(obj);
        return NULL;
    }
    return obj;
}

/* A libclang string as the bindings read it: UTF-8, None when it has no text. */
static PyObject *take_string(String str) {
    const char *text = c_string(str);
    PyObject *out;
    if (text) {
        out = PyUnicode_DecodeUTF8(text, (Py_ssize_t)strlen(text), NULL);
    } else {
        Py_INCREF(Py_None);
        out = Py_None;
    }
    dispose_string(str);
    return out;
}

typedef struct { PyObject *list; PyObject *tu; int failed; int definitions; } Collect;

#define FUNCTION_DECL 8 /* CXCursor_FunctionDecl */

static int collect(Cursor child, Cursor parent, void *data) {
    Collect *c = (Collect *)data;
    (void)parent;
    /* definitions(): the thousands of declarations of the headers are skipped here,
     * without a Python object each. */
    if (c->definitions && (child.kind != FUNCTION_DECL || !is_definition(child)
                           || in_system_header(cursor_location(child))))
        return 1;
    PyObject *obj = new_cursor(child, c->tu);
    if (obj && PyList_Append(c->list, obj) == 0) {
        Py_DECREF(obj);
        return 1; /* CXChildVisit_Continue */
    }
    Py_XDECREF(obj);
    c->failed = 1;
    return 0; /* CXChildVisit_Break */
}

static PyObject *visit(PyObject *obj, int definitions) {
    Cursor cur;
    if (read_cursor(obj, &cur) < 0)
        return NULL;
    Collect c = {PyList_New(0), PyObject_GetAttr(obj, tu_name), 0, definitions};
    if (!c.list || !c.tu) {
        Py_XDECREF(c.list);
        Py_XDECREF(c.tu);
        return NULL;
    }
    visit_children(cur, collect, &c);
    Py_DECREF(c.tu);
    if (c.failed) {
        Py_DECREF(c.list);
        return NULL;
    }
    return c.list;
}

static PyObject *children(PyObject *self, PyObject *obj) { return visit(obj, 0); }

static PyObject *definitions(PyObject *self, PyObject *obj) { return visit(obj, 1); }

static PyObject *span(PyObject *self, PyObject *obj) {
    Cursor cur;
    if (read_cursor(obj, &cur) < 0)
        return NULL;
    Range r = cursor_extent(cur);
    unsigned l1 = 0, c1 = 0, l2 = 0, c2 = 0;
    instantiation(range_start(r), NULL, &l1, &c1, NULL);
    instantiation(range_end(r), NULL, &l2, &c2, NULL);
    return Py_BuildValue("(IIII)", l1, c1, l2, c2);
}

static PyObject *spelling(PyObject *self, PyObject *obj) {
    Cursor cur;
    if (read_cursor(obj, &cur) < 0)
        return NULL;
    return take_string(cursor_spelling(cur));
}

static PyObject *type_spelling(PyObject *self, PyObject *obj) {
    Cursor cur;
    if (read_cursor(obj, &cur) < 0)
        return NULL;
    return take_string(type_spelling_of(cursor_type_of(cur)));
}

static PyObject *cursor_hash(PyObject *self, PyObject *obj) {
    Cursor cur;
    if (read_cursor(obj, &cur) < 0)
        return NULL;
    return PyLong_FromUnsignedLong(hash_cursor(cur));
}

/* The kind of the cursor's type, or of its canonical type: an int, the bindings'
 * TypeKind value (the lowering compares it, and building a Type is three calls). */
static PyObject *type_kind(PyObject *self, PyObject *args) {
    PyObject *obj;
    int canonical;
    if (!PyArg_ParseTuple(args, "Op", &obj, &canonical))
        return NULL;
    Cursor cur;
    if (read_cursor(obj, &cur) < 0)
        return NULL;
    Type t = cursor_type_of(cur);
    if (canonical)
        t = canonical_type(t);
    return PyLong_FromLong(t.kind);
}

/* A cursor the bindings would return for `c` (None for the null cursor). */
static PyObject *wrap(Cursor c, PyObject *of) {
    if (cursor_is_null(c))
        Py_RETURN_NONE;
    PyObject *tu = PyObject_GetAttr(of, tu_name);
    if (!tu)
        return NULL;
    PyObject *out = new_cursor(c, tu);
    Py_DECREF(tu);
    return out;
}

static PyObject *referenced(PyObject *self, PyObject *obj) {
    Cursor cur;
    if (read_cursor(obj, &cur) < 0)
        return NULL;
    return wrap(cursor_referenced(cur), obj);
}

static PyObject *arguments(PyObject *self, PyObject *obj) {
    Cursor cur;
    if (read_cursor(obj, &cur) < 0)
        return NULL;
    int n = num_arguments(cur);
    PyObject *list = PyList_New(n > 0 ? n : 0);
    if (!list)
        return NULL;
    for (int i = 0; i < n; i++) {
        PyObject *arg = wrap(argument(cur, (unsigned)i), obj);
        if (!arg) {
            Py_DECREF(list);
            return NULL;
        }
        PyList_SET_ITEM(list, i, arg);
    }
    return list;
}

typedef struct { PyObject *list; int failed; } Names;

static void collect_inclusion(void *file, Location *stack, unsigned depth, void *data) {
    Names *names = (Names *)data;
    (void)stack;
    if (depth == 0 || names->failed) /* the main file itself */
        return;
    /* As the system names it (os.fsdecode): a folder's name need not be UTF-8. */
    String str = file_name(file);
    const char *text = c_string(str);
    PyObject *name = text ? PyUnicode_DecodeFSDefault(text) : Py_NewRef(Py_None);
    dispose_string(str);
    if (!name || PyList_Append(names->list, name) < 0)
        names->failed = 1;
    Py_XDECREF(name);
}

/* The address of a translation unit (CXTranslationUnit) the caller keeps alive. */
static PyObject *inclusions(PyObject *self, PyObject *arg) {
    void *tu = PyLong_AsVoidPtr(arg);
    if (PyErr_Occurred())
        return NULL;
    if (!tu || !get_inclusions) {
        PyErr_SetString(PyExc_ValueError, "no translation unit (or init() was not called)");
        return NULL;
    }
    Names names = {PyList_New(0), 0};
    if (!names.list)
        return NULL;
    get_inclusions(tu, collect_inclusion, &names);
    if (names.failed) {
        Py_DECREF(names.list);
        return NULL;
    }
    return names.list;
}

static PyMethodDef methods[] = {
    {"init", init, METH_VARARGS, "Take libclang's function addresses; False if unusable."},
    {"children", children, METH_O, "children(cursor): its children, as the bindings' own."},
    {"definitions", definitions, METH_O,
     "definitions(cursor): its children that define functions, outside system headers."},
    {"spelling", spelling, METH_O, "spelling(cursor): Cursor.spelling."},
    {"type_spelling", type_spelling, METH_O, "type_spelling(cursor): Cursor.type.spelling."},
    {"referenced", referenced, METH_O, "referenced(cursor): Cursor.referenced."},
    {"cursor_hash", cursor_hash, METH_O, "cursor_hash(cursor): Cursor.hash."},
    {"type_kind", type_kind, METH_VARARGS,
     "type_kind(cursor, canonical): the TypeKind value of its type (or canonical type)."},
    {"arguments", arguments, METH_O, "arguments(cursor): list(Cursor.get_arguments())."},
    {"inclusions", inclusions, METH_O,
     "inclusions(tu address): the names of the files it included (os.fsdecode'd)."},
    {"span", span, METH_O, "span(cursor): (line, col, end line, end col) of its extent."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_cursors", NULL, -1, methods,
                                    NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__cursors(void) { return PyModule_Create(&module); }
