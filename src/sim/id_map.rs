//! A map from one of the world's ids to a value, kept as one vector slot per id. The ids are
//! dense indexes given out in order of creation, so the slots stay few; it iterates in id
//! order, exactly as an ordered map would, and costs the page a fraction of the code.

use std::marker::PhantomData;

/// An id that is an index into the list it was given out from.
pub trait DenseId: Copy {
    fn index(self) -> usize;
    fn from_index(index: usize) -> Self;
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdMap<K, V> {
    slots: Vec<Option<V>>,
    id: PhantomData<K>,
}

impl<K, V> Default for IdMap<K, V> {
    fn default() -> Self {
        IdMap {
            slots: Vec::new(),
            id: PhantomData,
        }
    }
}

impl<K: DenseId, V> IdMap<K, V> {
    /// Puts `value` under `id`; the value it replaces, if any.
    pub fn insert(&mut self, id: K, value: V) -> Option<V> {
        self.slot(id).replace(value)
    }

    pub fn get(&self, id: &K) -> Option<&V> {
        self.slots.get(id.index()).and_then(Option::as_ref)
    }

    pub fn get_mut(&mut self, id: &K) -> Option<&mut V> {
        self.slots.get_mut(id.index()).and_then(Option::as_mut)
    }

    pub fn contains_key(&self, id: &K) -> bool {
        self.get(id).is_some()
    }

    pub fn remove(&mut self, id: &K) -> Option<V> {
        self.slots.get_mut(id.index()).and_then(Option::take)
    }

    /// The value under `id`, made with `make` if there is none yet.
    pub fn get_or_insert_with(&mut self, id: K, make: impl FnOnce() -> V) -> &mut V {
        self.slot(id).get_or_insert_with(make)
    }

    /// Every id with its value, in id order.
    pub fn iter(&self) -> impl Iterator<Item = (K, &V)> {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(index, slot)| Some((K::from_index(index), slot.as_ref()?)))
    }

    fn slot(&mut self, id: K) -> &mut Option<V> {
        let index = id.index();
        if self.slots.len() <= index {
            self.slots.resize_with(index + 1, || None);
        }
        &mut self.slots[index]
    }
}

impl<K: DenseId, V> FromIterator<(K, V)> for IdMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(pairs: I) -> Self {
        let mut map = IdMap::default();
        for (id, value) in pairs {
            map.insert(id, value);
        }
        map
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::id::HostId;

    #[test]
    fn it_behaves_like_an_ordered_map() {
        let mut map: IdMap<HostId, &str> = IdMap::default();
        assert_eq!(map.insert(HostId(3), "c"), None);
        assert_eq!(map.insert(HostId(1), "a"), None);
        assert_eq!(map.insert(HostId(3), "C"), Some("c"));
        assert_eq!(map.get(&HostId(3)), Some(&"C"));
        assert_eq!(map.get(&HostId(2)), None);
        assert_eq!(map.get(&HostId(99)), None);
        assert!(map.contains_key(&HostId(1)) && !map.contains_key(&HostId(0)));
        let ids: Vec<HostId> = map.iter().map(|(id, _)| id).collect();
        assert_eq!(
            ids,
            [HostId(1), HostId(3)],
            "in id order, as a BTreeMap iterates"
        );
        assert_eq!(map.remove(&HostId(1)), Some("a"));
        assert_eq!(map.remove(&HostId(1)), None);
        *map.get_or_insert_with(HostId(0), || "z") = "zero";
        assert_eq!(map.get(&HostId(0)), Some(&"zero"));
        if let Some(value) = map.get_mut(&HostId(3)) {
            *value = "three";
        }
        let collected: IdMap<HostId, &str> = map.iter().map(|(id, v)| (id, *v)).collect();
        assert_eq!(collected, map);
    }
}
