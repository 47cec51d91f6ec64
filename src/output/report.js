document.querySelectorAll('table.sortable th button').forEach(function(b){
  b.addEventListener('click',function(){
    var th=b.parentNode,table=th.closest('table'),i=Array.prototype.indexOf.call(th.parentNode.children,th);
    var body=table.tBodies[0],rows=Array.prototype.slice.call(body.rows),asc=th.getAttribute('aria-sort')!=='ascending';
    rows.sort(function(x,y){var a=x.cells[i].textContent,b=y.cells[i].textContent,na=parseFloat(a),nb=parseFloat(b);
      var c=(!isNaN(na)&&!isNaN(nb))?na-nb:a.localeCompare(b);return asc?c:-c;});
    rows.forEach(function(r){body.appendChild(r);});
    table.querySelectorAll('th').forEach(function(h){h.removeAttribute('aria-sort');});
    th.setAttribute('aria-sort',asc?'ascending':'descending');
  });
});
document.querySelectorAll('.filters').forEach(function(f){
  var doc=f.closest('section.document');
  f.classList.remove('hidden');
  f.addEventListener('change',function(){
    var off={};f.querySelectorAll('input').forEach(function(i){if(!i.checked)off[i.value]=true;});
    doc.querySelectorAll('[data-rule]').forEach(function(el){
      var hide=off[el.getAttribute('data-rule')]||off[el.getAttribute('data-severity')];
      el.classList.toggle(el.tagName==='MARK'?'off':'hidden',!!hide);
    });
  });
});
function keepTipInside(e){
  var mark=e.target.closest&&e.target.closest('mark'),tip=mark&&mark.querySelector('.tip');
  if(!tip||getComputedStyle(tip).position==='fixed')return;
  tip.style.left='';
  var box=tip.getBoundingClientRect(),room=document.documentElement.clientWidth-8;
  if(box.right>room)tip.style.left=-Math.min(box.right-room,Math.max(0,box.left-8))+'px';
}
document.addEventListener('mouseover',keepTipInside);
document.addEventListener('focusin',keepTipInside);
