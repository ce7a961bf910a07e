import { addressKey } from './address';
import { duplicateGroups, keyChanges, StoredBuilding } from './building-keys';

const ORG = '00000000-0000-4000-8000-000000000001';
const OTHER = '00000000-0000-4000-8000-000000000002';
let sequence = 0;
function stored(
  street: string,
  house: string,
  addressKeyAsStored: string | null,
  organizationId = ORG,
): StoredBuilding {
  sequence += 1;
  const row = {
    organization_id: organizationId,
    id: `00000000-0000-4000-8000-${String(sequence).padStart(12, '0')}`,
    city: 'Москва',
    street,
    house,
    block: null,
    created_at: new Date(Date.UTC(2026, 0, sequence)),
  };
  return { ...row, address_key: addressKeyAsStored ?? addressKey(row) };
}

describe('duplicateGroups', () => {
  it('groups buildings of one organization the rule makes one, oldest first, and never across organizations', () => {
    const kept = stored('проспект Мира', '7А', null);
    const younger = stored('пр-кт Мира', '7-А', 'москва|мира пр-кт|7-а|');
    const elsewhere = stored('пр-кт Мира', '7-А', 'москва|мира пр-кт|7-а|', OTHER);
    expect(duplicateGroups([younger, elsewhere, kept, stored('ул. Ленина', '1', null)])).toEqual([[kept, younger]]);
  });
});

describe('keyChanges', () => {
  it('recomputes a stale key, leaves current ones alone', () => {
    const stale = stored('ал. Березовая', '4', 'москва|ал березовая|4|');
    expect(keyChanges([stale, stored('ул. Ленина', '1', null)])).toEqual([
      { organizationId: ORG, id: stale.id, to: 'москва|аллея березовая|4|' },
    ]);
  });

  it('gives the new key to the oldest of a duplicate group only; the younger keep theirs for the merge', () => {
    const kept = stored('пр-т Мира', '7А', 'москва|мира пр-т|7а|');
    const younger = stored('пр-кт Мира', '7-А', 'москва|мира пр-кт|7-а|');
    expect(keyChanges([kept, younger])).toEqual([{ organizationId: ORG, id: kept.id, to: addressKey(kept) }]);
  });

  it('does not move a key onto one a waiting duplicate still holds; keys that swap both move', () => {
    const kept = stored('проспект Мира', '7А', null);
    // A legacy key that is, by chance, the new key of «ул. Ленина, 5».
    const waiting = stored('пр-кт Мира', '7-А', 'москва|ленина улица|5|');
    const blocked = stored('ул. Ленина', '5', 'москва|ленина ул|5|');
    const a = stored('ул. Садовая', '1', 'москва|садовая улица|2|');
    const b = stored('ул. Садовая', '2', 'москва|садовая улица|1|');
    expect(keyChanges([kept, waiting, blocked, a, b])).toEqual([
      { organizationId: ORG, id: a.id, to: 'москва|садовая улица|1|' },
      { organizationId: ORG, id: b.id, to: 'москва|садовая улица|2|' },
    ]);
  });
});
