import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { TicketCategoryEntity } from './ticket-category.entity';

/** The classifier a new organization starts with (place → category → problem); staff edit it afterwards. */
export const DEFAULT_CLASSIFIER: Record<string, Record<string, string[]>> = {
  Квартира: {
    Сантехника: ['Течь', 'Засор канализации', 'Нет горячей воды', 'Нет холодной воды'],
    Электрика: ['Нет света', 'Не работает розетка'],
    Отопление: ['Холодные батареи', 'Течь радиатора'],
  },
  Подъезд: {
    Освещение: ['Нет света в подъезде', 'Перегорела лампа'],
    Лифт: ['Лифт не работает', 'Застревание в лифте'],
    Уборка: ['Грязно в подъезде'],
    Домофон: ['Не работает домофон'],
  },
  'Придомовая территория': {
    Благоустройство: ['Уборка снега', 'Вывоз мусора'],
    Парковка: ['Не открывается шлагбаум'],
  },
};

export interface ClassifierRow {
  id: string;
  parentId: string | null;
  name: string;
}

/** The default classifier as rows with fresh ids, parents before children, ready for one INSERT. */
export function defaultClassifierRows(newId: () => string): ClassifierRow[] {
  const rows: ClassifierRow[] = [];
  for (const [place, categories] of Object.entries(DEFAULT_CLASSIFIER)) {
    const placeId = newId();
    rows.push({ id: placeId, parentId: null, name: place });
    for (const [category, problems] of Object.entries(categories)) {
      const categoryId = newId();
      rows.push({ id: categoryId, parentId: placeId, name: category });
      for (const problem of problems) rows.push({ id: newId(), parentId: categoryId, name: problem });
    }
  }
  return rows;
}

/**
 * What every organization starts with, in one statement: the service's organization set-up and the demo
 * seed (which writes organizations without the application running) both call this.
 */
export async function insertDefaultClassifier(tx: EntityManager, organizationId: string): Promise<void> {
  const rows = defaultClassifierRows(randomUUID);
  await tx.getRepository(TicketCategoryEntity).insert(rows.map((row) => ({ ...row, organizationId })));
}
