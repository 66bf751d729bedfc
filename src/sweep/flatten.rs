//! A serde serializer that turns any serialisable value into flat cells named by dotted key
//! paths, in serialisation order (the model file's order, which a JSON map would sort away).
//!
//! Objects (structs and maps) nest their keys into the path; every other value is a leaf. An
//! array (sequence or tuple) is one leaf holding its compact JSON, written by `serde_json`.
//! Serialising straight into cells, rather than through a `serde_json::Value`, keeps a sweep
//! point free of a tree of maps and key strings.

use super::columns::Cell;
use serde::ser::{self, Impossible, Serialize};
use std::fmt;

/// Decides which keys are left out: `skip(parent_path, key)`.
pub type SkipRule = dyn Fn(&str, &str) -> bool;

/// Collects the leaves of one value; names are collected only when `names` is `Some`.
pub struct Flattener<'a> {
    path: String,
    names: Option<&'a mut Vec<String>>,
    cells: &'a mut Vec<Cell>,
    skip: &'a SkipRule,
}

impl<'a> Flattener<'a> {
    pub fn new(
        cells: &'a mut Vec<Cell>,
        names: Option<&'a mut Vec<String>>,
        skip: &'a SkipRule,
    ) -> Self {
        Flattener {
            path: String::new(),
            names,
            cells,
            skip,
        }
    }

    fn leaf(&mut self, cell: Cell) -> Result<(), Error> {
        self.cells.push(cell);
        if let Some(names) = self.names.as_mut() {
            names.push(self.path.clone());
        }
        Ok(())
    }

    /// Serialise `value` under `key`, unless the skip rule leaves it out.
    fn entry<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Error> {
        if (self.skip)(&self.path, key) {
            return Ok(());
        }
        let len = self.path.len();
        if len > 0 {
            self.path.push('.');
        }
        self.path.push_str(key);
        let result = value.serialize(&mut *self);
        self.path.truncate(len);
        result
    }
}

/// Why a value could not be flattened (a non-string map key, or a `serde_json` failure).
#[derive(Debug)]
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

/// An array leaf in the making: its elements' JSON, joined when it ends.
pub struct ArrayLeaf<'f, 'a> {
    owner: &'f mut Flattener<'a>,
    json: String,
}

impl ArrayLeaf<'_, '_> {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let text = serde_json::to_string(value).map_err(|e| Error(e.to_string()))?;
        if self.json.len() > 1 {
            self.json.push(',');
        }
        self.json.push_str(&text);
        Ok(())
    }

    fn finish(mut self) -> Result<(), Error> {
        self.json.push(']');
        self.owner.leaf(Cell::Json(self.json))
    }
}

/// A map in the making: the key of the entry whose value comes next.
pub struct Object<'f, 'a> {
    owner: &'f mut Flattener<'a>,
    key: Option<String>,
}

impl<'f, 'a> ser::Serializer for &'f mut Flattener<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = ArrayLeaf<'f, 'a>;
    type SerializeTuple = ArrayLeaf<'f, 'a>;
    type SerializeTupleStruct = ArrayLeaf<'f, 'a>;
    type SerializeTupleVariant = ArrayLeaf<'f, 'a>;
    type SerializeMap = Object<'f, 'a>;
    type SerializeStruct = Object<'f, 'a>;
    type SerializeStructVariant = Object<'f, 'a>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.leaf(Cell::Text(v.to_string()))
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        match u64::try_from(v) {
            Ok(n) => self.leaf(Cell::Count(n)),
            Err(_) => self.leaf(Cell::Num(v as f64)),
        }
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.leaf(Cell::Count(u64::from(v)))
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.leaf(Cell::Count(u64::from(v)))
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.leaf(Cell::Count(u64::from(v)))
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.leaf(Cell::Count(v))
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        // Kept as a number; written as null / an empty cell if not finite, as serde_json does.
        self.leaf(Cell::Num(v))
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.leaf(Cell::Text(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.leaf(Cell::Text(v.to_string()))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        let mut seq = ser::Serializer::serialize_seq(self, Some(v.len()))?;
        for b in v {
            ser::SerializeSeq::serialize_element(&mut seq, b)?;
        }
        ser::SerializeSeq::end(seq)
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.leaf(Cell::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.leaf(Cell::Null)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        self.leaf(Cell::Null)
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, v: &'static str) -> Result<(), Error> {
        self.serialize_str(v)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.entry(variant, value)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<ArrayLeaf<'f, 'a>, Error> {
        Ok(ArrayLeaf {
            owner: self,
            json: String::from("["),
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<ArrayLeaf<'f, 'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        len: usize,
    ) -> Result<ArrayLeaf<'f, 'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        len: usize,
    ) -> Result<ArrayLeaf<'f, 'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Object<'f, 'a>, Error> {
        Ok(Object {
            owner: self,
            key: None,
        })
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Object<'f, 'a>, Error> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        len: usize,
    ) -> Result<Object<'f, 'a>, Error> {
        self.serialize_map(Some(len))
    }
}

macro_rules! array_leaf {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for ArrayLeaf<'_, '_> {
            type Ok = ();
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                self.push(value)
            }
            fn end(self) -> Result<(), Error> {
                self.finish()
            }
        }
    )*};
}

array_leaf!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for Object<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.key = Some(key.serialize(KeyText)?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let key = self
            .key
            .take()
            .ok_or_else(|| Error("a map value without a key".into()))?;
        self.owner.entry(&key, value)
    }
    fn end(self) -> Result<(), Error> {
        Ok(())
    }
}

impl ser::SerializeStruct for Object<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.owner.entry(key, value)
    }
    fn end(self) -> Result<(), Error> {
        Ok(())
    }
}

impl ser::SerializeStructVariant for Object<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.owner.entry(key, value)
    }
    fn end(self) -> Result<(), Error> {
        Ok(())
    }
}

/// Map keys must be text (as in JSON).
struct KeyText;

impl ser::Serializer for KeyText {
    type Ok = String;
    type Error = Error;
    type SerializeSeq = Impossible<String, Error>;
    type SerializeTuple = Impossible<String, Error>;
    type SerializeTupleStruct = Impossible<String, Error>;
    type SerializeTupleVariant = Impossible<String, Error>;
    type SerializeMap = Impossible<String, Error>;
    type SerializeStruct = Impossible<String, Error>;
    type SerializeStructVariant = Impossible<String, Error>;

    fn serialize_str(self, v: &str) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        v: &'static str,
    ) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<String, Error> {
        value.serialize(self)
    }
    fn serialize_bool(self, _: bool) -> Result<String, Error> {
        Err(not_text())
    }
    fn serialize_i8(self, _: i8) -> Result<String, Error> {
        Err(not_text())
    }
    fn serialize_i16(self, _: i16) -> Result<String, Error> {
        Err(not_text())
    }
    fn serialize_i32(self, _: i32) -> Result<String, Error> {
        Err(not_text())
    }
    fn serialize_i64(self, _: i64) -> Result<String, Error> {
        Err(not_text())
    }
    fn serialize_u8(self, _: u8) -> Result<String, Error> {
        Err(not_text())
    }
    fn serialize_u16(self, _: u16) -> Result<String, Error> {
        Err(not_text())
    }
    fn serialize_u32(self, _: u32) -> Result<String, Error> {
        Err(not_text())
    }
    fn serialize_u64(self, _: u64) -> Result<String, Error> {
        Err(not_text())
    }
    fn serialize_f32(self, _: f32) -> Result<String, Error> {
        Err(not_text())
    }
    fn serialize_f64(self, _: f64) -> Result<String, Error> {
        Err(not_text())
    }
    fn serialize_char(self, v: char) -> Result<String, Error> {
        Ok(v.to_string())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<String, Error> {
        Err(not_text())
    }
    fn serialize_none(self) -> Result<String, Error> {
        Err(not_text())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<String, Error> {
        Err(not_text())
    }
    fn serialize_unit(self) -> Result<String, Error> {
        Err(not_text())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<String, Error> {
        Err(not_text())
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<String, Error> {
        Err(not_text())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(not_text())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        Err(not_text())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(not_text())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(not_text())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(not_text())
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Error> {
        Err(not_text())
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(not_text())
    }
}

fn not_text() -> Error {
    Error("a map key that is not text".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn flatten(value: &serde_json::Value) -> (Vec<String>, Vec<Cell>) {
        let (mut names, mut cells) = (Vec::new(), Vec::new());
        let skip = |parent: &str, key: &str| parent == "a" && key == "hidden";
        value
            .serialize(&mut Flattener::new(&mut cells, Some(&mut names), &skip))
            .unwrap();
        (names, cells)
    }

    #[test]
    fn nests_keys_and_keeps_arrays_whole() {
        let (names, cells) = flatten(&json!({
            "a": {"x": 0.5, "hidden": 1, "y": "K", "z": null},
            "b": [1.0, [2, 3]],
            "c": 7
        }));
        assert_eq!(names, ["a.x", "a.y", "a.z", "b", "c"]);
        assert_eq!(
            cells,
            [
                Cell::Num(0.5),
                Cell::Text("K".into()),
                Cell::Null,
                Cell::Json("[1.0,[2,3]]".into()),
                Cell::Count(7)
            ]
        );
    }

    #[test]
    fn struct_fields_keep_their_order() {
        #[derive(serde::Serialize)]
        struct Inner {
            zeta: f64,
            alpha: Option<f64>,
        }
        #[derive(serde::Serialize)]
        struct Outer {
            second: Inner,
            first: (f64, f64),
        }
        let value = Outer {
            second: Inner {
                zeta: f64::INFINITY,
                alpha: Some(1.5),
            },
            first: (1.0, 2.0),
        };
        let (mut names, mut cells) = (Vec::new(), Vec::new());
        let keep_all = |_: &str, _: &str| false;
        value
            .serialize(&mut Flattener::new(&mut cells, Some(&mut names), &keep_all))
            .unwrap();
        assert_eq!(names, ["second.zeta", "second.alpha", "first"]);
        assert!(matches!(cells[0], Cell::Num(v) if v.is_infinite()));
        assert_eq!(cells[1..], [Cell::Num(1.5), Cell::Json("[1.0,2.0]".into())]);
    }
}
