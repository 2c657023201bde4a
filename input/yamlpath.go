package input

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Error is a problem in an input file: File and Line locate it (Line is 0
// when unknown), Field names it.
type Error struct {
	File  string
	Line  int
	Field string
	Err   error
}

func (e *Error) Error() string {
	loc := e.File
	if e.Line > 0 {
		loc = fmt.Sprintf("%s:%d", e.File, e.Line)
	}
	if e.Field != "" {
		return fmt.Sprintf("%s: %s: %v", loc, e.Field, e.Err)
	}
	return fmt.Sprintf("%s: %v", loc, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// MaxFileBytes bounds the size of an input file.
const MaxFileBytes = 16 << 20

// decodeStrict decodes YAML data into v, refusing unknown keys and
// returning the parsed node tree for locating fields.
func decodeStrict(file string, data []byte, v any) (*yaml.Node, error) {
	if len(data) > MaxFileBytes {
		return nil, &Error{File: file, Err: fmt.Errorf("file is %d bytes, more than the limit %d", len(data), MaxFileBytes)}
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, yamlErr(file, err)
	}
	if len(root.Content) == 0 {
		return nil, &Error{File: file, Err: errors.New("empty file")}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		return nil, yamlErr(file, err)
	}
	return &root, nil
}

// yamlErr turns yaml.v3's "yaml: line 12: ..." messages into an *Error.
func yamlErr(file string, err error) error {
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		err = errors.New(te.Errors[0])
	}
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if strings.HasPrefix(msg, "line ") {
		rest := msg[len("line "):]
		if i := strings.Index(rest, ":"); i > 0 {
			if n, perr := strconv.Atoi(rest[:i]); perr == nil {
				line = n
				msg = strings.TrimSpace(rest[i+1:])
			}
		}
	}
	return &Error{File: file, Line: line, Err: errors.New(msg)}
}

// lineOf returns the line of the node at path ("bonds[3].coupon") in the
// document root, or of its deepest existing ancestor.
func lineOf(root *yaml.Node, path string) int {
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := n.Line
	for _, part := range splitPath(path) {
		next := child(n, part)
		if next == nil {
			return line
		}
		n = next
		line = n.Line
	}
	return line
}

func splitPath(path string) []string {
	var parts []string
	for _, p := range strings.Split(path, ".") {
		for {
			i := strings.IndexByte(p, '[')
			if i < 0 {
				if p != "" {
					parts = append(parts, p)
				}
				break
			}
			if i > 0 {
				parts = append(parts, p[:i])
			}
			j := strings.IndexByte(p, ']')
			if j < i {
				break
			}
			parts = append(parts, p[i:j+1])
			p = p[j+1:]
		}
	}
	return parts
}

func child(n *yaml.Node, part string) *yaml.Node {
	if strings.HasPrefix(part, "[") {
		i, err := strconv.Atoi(strings.Trim(part, "[]"))
		if err != nil || n.Kind != yaml.SequenceNode || i < 0 || i >= len(n.Content) {
			return nil
		}
		return n.Content[i]
	}
	if n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == part {
			return n.Content[i+1]
		}
	}
	return nil
}

// FieldError locates a validation error at path in the file, for readers
// of other file formats built on DecodeStrict.
func FieldError(file string, root *yaml.Node, path string, err error) *Error {
	return fieldError(file, root, path, err)
}

// DecodeStrict decodes YAML data into v, refusing unknown keys and absurd
// sizes, and returns the node tree that FieldError locates fields in.
func DecodeStrict(file string, data []byte, v any) (*yaml.Node, error) {
	return decodeStrict(file, data, v)
}

// fieldError locates a validation error at path in the file.
func fieldError(file string, root *yaml.Node, path string, err error) *Error {
	return &Error{File: file, Line: lineOf(root, path), Field: path, Err: err}
}
