/* The cursor reads the front end makes most, in C: a cursor's children, its
 * extent's lines and columns, and a translation unit's function definitions (among
 * thousands of header declarations). Through the Python bindings the first and last
 * cost a ctypes callback per child (two Cursor objects built for it) and the second
 * eight ctypes calls; here each is one call. Optional: sslint/frontend/clangx.py falls back to the
 * bindings when this module is not built or init() refuses.
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
typedef int (*Visitor)(Cursor, Cursor, void *);

static unsigned (*visit_children)(Cursor, Visitor, void *);
static Range (*cursor_extent)(Cursor);
static Location (*range_start)(Range);
static Location (*range_end)(Range);
static void (*instantiation)(Location, void **, unsigned *, unsigned *, unsigned *);
static unsigned (*is_definition)(Cursor);
static Location (*cursor_location)(Cursor);
static int (*in_system_header)(Location);
static PyObject *cursor_type; /* clang.cindex.Cursor */
static PyObject *tu_name;     /* "_tu" */

static int read_cursor(PyObject *obj, Cursor *out) {
    Py_buffer view;
    /* Only the bindings' Cursor: any other 32 bytes would reach libclang as one. */
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
    unsigned long long f[8];
    PyObject *type;
    Py_ssize_t cursor_size, range_size, location_size;
    if (!PyArg_ParseTuple(args, "KKKKKKKKOnnn", &f[0], &f[1], &f[2], &f[3], &f[4], &f[5],
                          &f[6], &f[7], &type,
                          &cursor_size, &range_size, &location_size))
        return NULL;
    if (cursor_size != (Py_ssize_t)sizeof(Cursor) || range_size != (Py_ssize_t)sizeof(Range)
        || location_size != (Py_ssize_t)sizeof(Location))
        Py_RETURN_FALSE;
    for (int i = 0; i < 8; i++)
        if (!f[i])
            Py_RETURN_FALSE;
    visit_children = (unsigned (*)(Cursor, Visitor, void *))(uintptr_t)f[0];
    cursor_extent = (Range (*)(Cursor))(uintptr_t)f[1];
    range_start = (Location (*)(Range))(uintptr_t)f[2];
    range_end = (Location (*)(Range))(uintptr_t)f[3];
    instantiation = (void (*)(Location, void **, unsigned *, unsigned *, unsigned *))(uintptr_t)f[4];
    is_definition = (unsigned (*)(Cursor))(uintptr_t)f[5];
    cursor_location = (Location (*)(Cursor))(uintptr_t)f[6];
    in_system_header = (int (*)(Location))(uintptr_t)f[7];
    Py_XINCREF(type);
    Py_XSETREF(cursor_type, type);
    if (!tu_name && !(tu_name = PyUnicode_InternFromString("_tu")))
        return NULL;
    Py_RETURN_TRUE;
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
    PyObject *obj = PyObject_CallNoArgs(cursor_type);
    if (obj) {
        Py_buffer view;
        if (PyObject_GetBuffer(obj, &view, PyBUF_WRITABLE) == 0) {
            memcpy(view.buf, &child, sizeof(Cursor));
            PyBuffer_Release(&view);
            /* The cursor keeps its translation unit alive, as the bindings' do. */
            if (PyObject_SetAttr(obj, tu_name, c->tu) == 0 && PyList_Append(c->list, obj) == 0) {
                Py_DECREF(obj);
                return 1; /* CXChildVisit_Continue */
            }
        }
        Py_DECREF(obj);
    }
    c->failed = 1;
    return 0; /* CXChildVisit_Break */
}

static PyObject *visit(PyObject *obj, int definitions) {
    Cursor cur;
    if (read_cursor(obj, &cur) < 0)
        return NULL;
    if (!visit_children) {
        PyErr_SetString(PyExc_RuntimeError, "_cursors.init() was not called");
        return NULL;
    }
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
    if (!cursor_extent) {
        PyErr_SetString(PyExc_RuntimeError, "_cursors.init() was not called");
        return NULL;
    }
    Range r = cursor_extent(cur);
    unsigned l1 = 0, c1 = 0, l2 = 0, c2 = 0;
    instantiation(range_start(r), NULL, &l1, &c1, NULL);
    instantiation(range_end(r), NULL, &l2, &c2, NULL);
    return Py_BuildValue("(IIII)", l1, c1, l2, c2);
}

static PyMethodDef methods[] = {
    {"init", init, METH_VARARGS, "Take libclang's function addresses; False if unusable."},
    {"children", children, METH_O, "children(cursor): its children, as the bindings' own."},
    {"definitions", definitions, METH_O,
     "definitions(cursor): its children that define functions, outside system headers."},
    {"span", span, METH_O, "span(cursor): (line, col, end line, end col) of its extent."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_cursors", NULL, -1, methods};

PyMODINIT_FUNC PyInit__cursors(void) { return PyModule_Create(&module); }
